//! One interview request: the candidate's answer, the ATS push, and what syncs back.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::requests::{get_request, RequestDetail, RetryPush},
    components::{loaded, or_empty, refresh_key, Badge, Card, Flash, Tone, BUTTON},
};

/// The request page.
#[component]
pub fn RequestPage() -> impl IntoView {
    let params = use_params_map();
    let key = refresh_key();
    let live = crate::live::live_key();
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), key(), live()),
        |(id, _, _)| get_request(id),
    );
    view! {
        <Title text="Interview request · ATS Bridge"/>
        <p><a class="text-blue-800 underline" href="/requests">"← All requests"</a></p>
        <Flash/>
        {loaded(data, |r| view! { <RequestView r/> })}
    }
}

fn push_tone(state: &str) -> Tone {
    match state {
        "done" => Tone::Good,
        "failed" => Tone::Bad,
        _ => Tone::Warn,
    }
}

#[component]
fn RequestView(r: RequestDetail) -> impl IntoView {
    let outcome_tone = match r.state.as_str() {
        "hired" => Tone::Good,
        "rejected" | "declined" => Tone::Bad,
        _ => Tone::Neutral,
    };
    view! {
        <h1 class="mt-2 text-2xl font-bold">
            <a class="underline" href=format!("/candidates/{}", r.candidate_id)>{r.candidate.clone()}</a>
            " for " {r.position.clone()}
        </h1>
        <p class="mt-1" data-testid="request-state">"Request: " <Badge text=r.state.clone() tone=outcome_tone/></p>
        {(!r.message.is_empty()).then(|| view! { <p class="mt-2 italic text-slate-700">{format!("“{}”", r.message)}</p> })}
        <Card title="In the ATS">
            {match r.push_state.clone() {
                None => view! { <p>"Nothing is sent to the ATS until the candidate accepts."</p> }.into_any(),
                Some(s) => view! {
                    <p data-testid="push-state">"Push: " <Badge text=s.clone() tone=push_tone(&s)/></p>
                    {r.push_message.clone().map(|m| view! {
                        <p role=if s == "done" { "status" } else { "alert" } class="mt-1 text-amber-900" data-testid="push-message">{m}</p>
                    })}
                    {r.push_error_code.clone().map(|c| view! {
                        <p class="text-sm text-slate-700" data-testid="push-error-code">{c}</p>
                    })}
                    {r.correlation_id.clone().filter(|_| s != "done").map(|c| view! {
                        <p class="text-sm text-slate-600">"Reference for support: " <code data-testid="correlation-id">{c}</code></p>
                    })}
                    {r.admin_invalid.then(|| view! {
                        <p class="mt-2"><a class=BUTTON href="/integration">"Choose another verification admin"</a></p>
                    })}
                    {(s == "failed" || (s == "waiting" && !r.admin_invalid)).then(|| view! { <RetryForm id=r.id.clone()/> })}
                }.into_any(),
            }}
            <dl class="mt-3 grid grid-cols-[12rem_1fr] gap-y-1 text-sm">
                <dt class="text-slate-600">"ATS candidate"</dt><dd data-testid="ats-candidate">{r.ats_candidate_id.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt class="text-slate-600">"ATS application"</dt><dd data-testid="ats-application">{r.ats_application_id.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt class="text-slate-600">"Profile attachment"</dt><dd data-testid="ats-attachment">{r.ats_attachment_id.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt class="text-slate-600">"Current stage"</dt>
                <dd data-testid="stage">
                    {r.stage.clone().unwrap_or_else(|| "—".into())}
                    {r.marketplace_status.clone().map(|m| format!(" ({m})"))}
                </dd>
                {r.outcome_at.clone().map(|at| view! {
                    <dt class="text-slate-600">"Outcome"</dt>
                    <dd data-testid="outcome">
                        {format!("{} on {at}", r.state)}
                        {r.reject_reason.clone().map(|rr| format!(" — {rr}"))}
                    </dd>
                })}
            </dl>
        </Card>
        {(!r.stage_history.is_empty()).then(|| view! {
            <Card title="Stage history">
                <ol class="list-decimal pl-6 text-sm" data-testid="stage-history">
                    {r.stage_history.iter().map(|(stage, at)| view! { <li>{stage.clone()} " · " {at.clone()}</li> }).collect_view()}
                </ol>
            </Card>
        })}
        <Card title="Interviews">
            {or_empty(r.interviews.is_empty(), "No interviews scheduled in the ATS yet.", || view! {
                <ul class="divide-y divide-slate-200">
                    {r.interviews.into_iter().map(|i| view! {
                        <li class="py-2" data-testid="interview">
                            <strong>{i.when}</strong> " · " <Badge text=i.status/>
                            {i.location.map(|l| format!(" · {l}"))}
                            <div class="text-sm text-slate-700">
                                {i.organizer.map(|o| format!("Organizer: {o}. "))}
                                {(!i.interviewers.is_empty()).then(|| format!("Interviewers: {}", i.interviewers))}
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </Card>
    }
}

/// The guarded retry: a POST (CSRF-checked), a confirmation when JavaScript runs, and the
/// server re-queues only a failed or waiting push.
#[component]
fn RetryForm(id: String) -> impl IntoView {
    let retry = ServerAction::<RetryPush>::new();
    view! {
        <ActionForm action=retry attr:class="mt-2">
            <input type="hidden" name="request_id" value=id/>
            <button type="submit" class=BUTTON data-testid="retry-push"
                on:click=|ev| {
                    if !confirm("Send this candidate to the ATS again now?") {
                        ev.prevent_default();
                    }
                }>
                "Retry now"
            </button>
        </ActionForm>
    }
}

/// Asks the browser for a confirmation (always yes during server rendering).
fn confirm(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys_confirm(question)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        true
    }
}

#[cfg(feature = "hydrate")]
fn web_sys_confirm(question: &str) -> bool {
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen::prelude::wasm_bindgen(js_namespace = window, js_name = confirm)]
        fn js_confirm(message: &str) -> bool;
    }
    js_confirm(question)
}
