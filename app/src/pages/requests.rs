//! The interview requests list and the form that sends one.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::requests::{list_requests, Requests, SendRequest},
    components::{loaded, or_empty, refresh_key, Badge, Card, Flash, BUTTON, INPUT},
};

/// The interview requests page.
#[component]
pub fn RequestsPage() -> impl IntoView {
    let key = refresh_key();
    let live = crate::live::live_key();
    let data = Resource::new(move || (key(), live()), |_| list_requests());
    view! {
        <Title text="Interview requests · ATS Bridge"/>
        <h1 class="text-2xl font-bold">"Interview requests"</h1>
        <Flash/>
        {loaded(data, |r| view! { <RequestsView r/> })}
    }
}

#[component]
fn RequestsView(r: Requests) -> impl IntoView {
    let send = ServerAction::<SendRequest>::new();
    view! {
        <Card title="Send an interview request">
            <ActionForm action=send>
                <label class="mb-2 block">
                    <span class="mb-1 block text-sm font-medium">"Position"</span>
                    <select class=INPUT name="position_id" required>
                        {r.positions.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                    </select>
                </label>
                <label class="mb-2 block">
                    <span class="mb-1 block text-sm font-medium">"Candidate"</span>
                    <select class=INPUT name="candidate_id" required>
                        {r.candidates.into_iter().map(|c| view! { <option value=c.id>{format!("{} — {}", c.name, c.headline)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="block">
                    <span class="mb-1 block text-sm font-medium">"Message to the candidate"</span>
                    <textarea class=INPUT name="message" rows="3" maxlength="2000"></textarea>
                </label>
                <button type="submit" class=format!("{BUTTON} mt-3")>"Send request"</button>
            </ActionForm>
        </Card>
        <Card title="Requests">
            {or_empty(r.requests.is_empty(), "No interview requests yet.", || view! {
                <table class="w-full text-left">
                    <thead><tr class="text-sm text-slate-600">
                        <th class="py-1">"Candidate"</th><th>"Position"</th><th>"State"</th><th>"ATS push"</th><th>"ATS stage"</th><th>"Sent"</th>
                    </tr></thead>
                    <tbody>
                        {r.requests.into_iter().map(|q| view! {
                            <tr class="border-t border-slate-200" data-testid="request-row">
                                <td class="py-2"><a class="text-blue-800 underline" href=format!("/requests/{}", q.id)>{q.candidate}</a></td>
                                <td>{q.position}</td>
                                <td><Badge text=q.state/></td>
                                <td>{q.push.unwrap_or_else(|| "—".into())}</td>
                                <td>{q.stage.unwrap_or_else(|| "—".into())}</td>
                                <td class="text-sm">{q.created_at}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </Card>
    }
}
