//! The activity page: the company's audit log, newest first.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::activity::{get_activity, ActivityEvent, ACTIVITY_LIMIT},
    components::{loaded, or_empty, Card},
};

/// Who did what, and when, in this company.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let live = crate::live::live_key();
    let data = Resource::new(live, |_| get_activity());
    view! {
        <Title text="Activity · ATS Bridge"/>
        <h1 class="text-2xl font-bold">"Activity"</h1>
        {loaded(data, |events| view! { <ActivityTable events title=format!("The last {ACTIVITY_LIMIT} events")/> })}
    }
}

/// Audit events as a table, newest first (also on the support console's tenant page).
#[component]
pub fn ActivityTable(events: Vec<ActivityEvent>, #[prop(into)] title: String) -> impl IntoView {
    view! {
        <Card title>
            {or_empty(events.is_empty(), "Nothing has happened yet.", || view! {
                <table class="w-full text-left text-sm">
                    <thead><tr><th class="py-1">"When"</th><th>"Who"</th><th>"What"</th><th>"Details"</th></tr></thead>
                    <tbody>
                        {events.into_iter().map(|e| view! {
                            <tr class="border-t border-slate-200" data-testid="activity">
                                <td class="py-1 pr-3 whitespace-nowrap">{e.at}</td>
                                <td class="pr-3">{e.who}</td>
                                <td class="pr-3">{e.action}</td>
                                <td class="break-all">{e.detail}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </Card>
    }
}
