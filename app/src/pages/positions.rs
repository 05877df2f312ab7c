//! The positions page: create, import an ATS job, link to an ATS job, unlink. The job picker
//! offers the first matches of a search, never every job: a large tenant has thousands.

use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::positions::{
        list_positions, search_jobs, AtsJob, CreatePosition, ImportJob, LinkPosition, Position,
        Positions, UnlinkPosition, JOB_MATCHES,
    },
    components::{
        loaded, or_empty, refresh_key, Badge, Card, Flash, Tone, BUTTON, BUTTON_LIGHT, INPUT,
    },
};

/// The positions page (`?q=` narrows the job picker without JavaScript).
#[component]
pub fn PositionsPage() -> impl IntoView {
    let key = refresh_key();
    let live = crate::live::live_key();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let data = Resource::new(
        move || (key(), live(), search()),
        |(_, _, q)| list_positions(q),
    );
    view! {
        <Title text="Positions · ATS Bridge"/>
        <h1 class="text-2xl font-bold">"Positions"</h1>
        <Flash/>
        {loaded(data, move |p| view! { <PositionsView p search=search()/> })}
    }
}

fn job_label(j: &AtsJob) -> String {
    let code = j
        .code
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    match j.state_label() {
        Some(s) => format!("{}{code} — {s}", j.name),
        None => format!("{}{code}", j.name),
    }
}

#[component]
fn PositionsView(p: Positions, search: String) -> impl IntoView {
    let create = ServerAction::<CreatePosition>::new();
    let import = ServerAction::<ImportJob>::new();
    let link = ServerAction::<LinkPosition>::new();
    let live_jobs = |jobs: Vec<AtsJob>| jobs.into_iter().filter(|j| !j.deleted).collect::<Vec<_>>();
    let jobs = RwSignal::new(live_jobs(p.jobs));
    let more = RwSignal::new(p.more_jobs);
    // Answers to searches typed in the browser; only the newest one is shown.
    let asked = StoredValue::new(0u64);
    let on_search = move |q: String| {
        let n = asked.get_value() + 1;
        asked.set_value(n);
        spawn_local(async move {
            if let Ok(found) = search_jobs(q).await {
                if asked.get_value() == n {
                    jobs.set(live_jobs(found.jobs));
                    more.set(found.more);
                }
            }
        });
    };
    let choices: Vec<(String, String)> = p
        .positions
        .iter()
        .map(|pos| (pos.id.clone(), pos.title.clone()))
        .collect();
    view! {
        <Card title="Your positions">
            {or_empty(p.positions.is_empty(), "No positions yet.", || view! {
                <ul class="divide-y divide-slate-200">
                    {p.positions.into_iter().map(|pos| view! { <PositionRow pos/> }).collect_view()}
                </ul>
            })}
        </Card>
        <Card title="New position">
            <ActionForm action=create>
                <label class="block">
                    <span class="mb-1 block text-sm font-medium">"Title"</span>
                    <input class=INPUT name="title" required maxlength="200"/>
                </label>
                <button type="submit" class=format!("{BUTTON} mt-3")>"Create position"</button>
            </ActionForm>
        </Card>
        <Card title="Import an ATS job or link a position to one">
            {if !p.connected {
                view! { <p>"Connect your ATS on the " <a class="underline" href="/integration">"Integration page"</a> " to import its jobs."</p> }.into_any()
            } else {
                view! {
                    <form method="get" action="/positions" role="search" on:submit=|ev| ev.prevent_default()>
                        <label class="block">
                            <span class="mb-1 block text-sm font-medium">"Search ATS jobs"</span>
                            <div class="flex gap-2">
                                <input class=INPUT type="search" name="q" value=search placeholder="Job name or code"
                                    on:input=move |ev| on_search(event_target_value(&ev))/>
                                <button type="submit" class=BUTTON_LIGHT>"Search"</button>
                            </div>
                        </label>
                        <p class="mt-1 text-sm text-slate-600" data-testid="job-matches">
                            {move || match (jobs.read().len(), more.get()) {
                                (0, _) => "No ATS job matches.".to_string(),
                                (n, false) => format!("{n} matching job{}.", if n == 1 { "" } else { "s" }),
                                (_, true) => format!("The first {JOB_MATCHES} matches; search to narrow them down."),
                            }}
                        </p>
                    </form>
                    <div class="mt-4">
                        <ActionForm action=import>
                            <JobSelect jobs label="ATS job to import"/>
                            <button type="submit" class=format!("{BUTTON} mt-3")>"Import as position"</button>
                        </ActionForm>
                    </div>
                    {(!choices.is_empty()).then(|| view! {
                        <div class="mt-6 border-t border-slate-200 pt-4"><ActionForm action=link>
                            <label class="block">
                                <span class="mb-1 block text-sm font-medium">"Position to link"</span>
                                <select class=INPUT name="position_id" required>
                                    {choices.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                                </select>
                            </label>
                            <div class="mt-2"><JobSelect jobs label="ATS job to link it to"/></div>
                            <button type="submit" class=format!("{BUTTON_LIGHT} mt-3")>"Link position"</button>
                        </ActionForm></div>
                    })}
                }.into_any()
            }}
        </Card>
    }
}

#[component]
fn PositionRow(pos: Position) -> impl IntoView {
    let unlink = ServerAction::<UnlinkPosition>::new();
    view! {
        <li class="py-3" data-testid="position">
            <div class="flex items-center gap-3">
                <strong>{pos.title.clone()}</strong>
                {match pos.job.clone() {
                    Some(j) => {
                        let tone = if j.state_label().is_some() { Tone::Warn } else { Tone::Good };
                        view! { <Badge text=format!("linked to {}", job_label(&j)) tone/> }.into_any()
                    }
                    None => view! { <Badge text="not linked to an ATS job" tone=Tone::Warn/> }.into_any(),
                }}
                {pos.job.is_some().then(|| view! {
                    <ActionForm action=unlink>
                        <input type="hidden" name="position_id" value=pos.id.clone()/>
                        <button type="submit" class=BUTTON_LIGHT>"Unlink"</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}

/// A `<select name="job_id">` of the jobs the search found.
#[component]
fn JobSelect(jobs: RwSignal<Vec<AtsJob>>, label: &'static str) -> impl IntoView {
    view! {
        <label class="block">
            <span class="mb-1 block text-sm font-medium">{label}</span>
            <select class=INPUT name="job_id" required>
                {move || jobs.get().into_iter()
                    .map(|j| view! { <option value=j.id.clone()>{job_label(&j)}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
