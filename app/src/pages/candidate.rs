//! A marketplace candidate's profile, as hiring managers see it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::requests::get_candidate,
    components::{Card, ErrorBox},
};

/// The candidate profile page.
#[component]
pub fn CandidatePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_candidate,
    );
    view! {
        <Title text="Candidate · ATS Bridge"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! {
                        <h1 class="text-2xl font-bold">{c.name}</h1>
                        <p class="text-slate-700">{c.headline} {c.location.map(|l| format!(" · {l}"))}</p>
                        <Card title="Skills"><p>{c.skills.join(", ")}</p></Card>
                        <Card title="Experience">
                            <ul>
                                {c.experience.into_iter().map(|(title, company, period)| view! {
                                    <li>{format!("{title} at {company} ({period})")}</li>
                                }).collect_view()}
                            </ul>
                        </Card>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
