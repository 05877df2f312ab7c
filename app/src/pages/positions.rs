//! The positions page: create, import an ATS job, link to an ATS job, unlink.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::positions::{
        list_positions, AtsJob, CreatePosition, ImportJob, LinkPosition, Position, Positions,
        UnlinkPosition,
    },
    components::{refresh_key, Badge, Card, ErrorBox, Flash, Tone, BUTTON, BUTTON_LIGHT, INPUT},
};

/// The positions page.
#[component]
pub fn PositionsPage() -> impl IntoView {
    let key = refresh_key();
    let live = crate::live::live_key();
    let data = Resource::new(move || (key(), live()), |_| list_positions(String::new()));
    view! {
        <Title text="Positions · ATS Bridge"/>
        <h1 class="text-2xl font-bold">"Positions"</h1>
        <Flash/>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <PositionsView p/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
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
fn PositionsView(p: Positions) -> impl IntoView {
    let create = ServerAction::<CreatePosition>::new();
    let import = ServerAction::<ImportJob>::new();
    let jobs = StoredValue::new(
        p.jobs
            .into_iter()
            .filter(|j| !j.deleted)
            .collect::<Vec<_>>(),
    );
    let connected = p.connected;
    view! {
        <Card title="Your positions">
            {if p.positions.is_empty() {
                view! { <p>"No positions yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-200">
                        {p.positions.into_iter().map(|pos| view! { <PositionRow pos jobs connected/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
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
        <Card title="Import an ATS job">
            {if !connected {
                view! { <p>"Connect your ATS on the " <a class="underline" href="/integration">"Integration page"</a> " to import its jobs."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=import>
                        <JobPicker jobs label="ATS job to import"/>
                        <button type="submit" class=format!("{BUTTON} mt-3")>"Import as position"</button>
                    </ActionForm>
                }.into_any()
            }}
        </Card>
    }
}

#[component]
fn PositionRow(pos: Position, jobs: StoredValue<Vec<AtsJob>>, connected: bool) -> impl IntoView {
    let link = ServerAction::<LinkPosition>::new();
    let unlink = ServerAction::<UnlinkPosition>::new();
    let id = pos.id.clone();
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
                {pos.job.is_some().then(|| {
                    let id = id.clone();
                    view! {
                        <ActionForm action=unlink>
                            <input type="hidden" name="position_id" value=id/>
                            <button type="submit" class=BUTTON_LIGHT>"Unlink"</button>
                        </ActionForm>
                    }
                })}
            </div>
            {connected.then(|| view! {
                <details class="mt-2">
                    <summary class="cursor-pointer text-sm text-blue-800">{if pos.job.is_some() { "Link to another ATS job" } else { "Link to an ATS job" }}</summary>
                    <ActionForm action=link>
                        <input type="hidden" name="position_id" value=id.clone()/>
                        <JobPicker jobs label="ATS job"/>
                        <button type="submit" class=format!("{BUTTON_LIGHT} mt-2")>"Link"</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

/// A searchable job `<select name="job_id">` (the search filters once hydrated).
#[component]
fn JobPicker(jobs: StoredValue<Vec<AtsJob>>, label: &'static str) -> impl IntoView {
    let search = RwSignal::new(String::new());
    view! {
        <label class="mb-2 block">
            <span class="mb-1 block text-sm font-medium">"Search jobs"</span>
            <input class=INPUT type="search" placeholder="Job name or code" on:input=move |ev| search.set(event_target_value(&ev))/>
        </label>
        <label class="block">
            <span class="mb-1 block text-sm font-medium">{label}</span>
            <select class=INPUT name="job_id" required>
                {move || {
                    let q = search.get().to_lowercase();
                    jobs.get_value()
                        .into_iter()
                        .filter(|j| q.is_empty() || j.name.to_lowercase().contains(&q) || j.code.as_deref().unwrap_or("").to_lowercase().contains(&q))
                        .map(|j| view! { <option value=j.id.clone()>{job_label(&j)}</option> })
                        .collect_view()
                }}
            </select>
        </label>
    }
}
