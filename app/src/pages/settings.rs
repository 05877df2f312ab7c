//! Settings: the tenant's stage mapping and the signed-in person's time zone.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{
        onboarding::InviteColleague,
        settings::{get_settings, SetStageMapping, SetTimeZone, Settings},
    },
    components::{loaded, or_empty, refresh_key, Card, Flash, BUTTON, INPUT},
};

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let key = refresh_key();
    let data = Resource::new(key, |_| get_settings());
    view! {
        <Title text="Settings · ATS Bridge"/>
        <h1 class="text-2xl font-bold">"Settings"</h1>
        <Flash/>
        {loaded(data, |s| view! { <SettingsView s/> })}
    }
}

#[component]
fn SettingsView(s: Settings) -> impl IntoView {
    let set_zone = ServerAction::<SetTimeZone>::new();
    let current = s.time_zone.clone();
    let zones = s.zones.clone();
    view! {
        <Card title="Your time zone">
            <p class="mb-2 text-sm text-slate-700">"Interview times and dates are shown in this zone."</p>
            <ActionForm action=set_zone>
                <label class="block">
                    <span class="mb-1 block text-sm font-medium">"Time zone"</span>
                    <select class=INPUT name="time_zone" data-testid="time-zone">
                        {zones.iter().map(|z| {
                            let selected = *z == current;
                            view! { <option value=z.clone() selected=selected>{z.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class=format!("{BUTTON} mt-3")>"Save time zone"</button>
            </ActionForm>
        </Card>
        {s.can_invite.then(|| view! { <InviteCard/> })}
        <StageMappingCard s/>
    }
}

/// Company admins invite colleagues; the invitation goes out by e-mail.
#[component]
fn InviteCard() -> impl IntoView {
    let invite = ServerAction::<InviteColleague>::new();
    view! {
        <Card title="Invite a colleague">
            <ActionForm action=invite attr:class="flex flex-wrap items-end gap-3">
                <label class="flex-1">
                    <span class="mb-1 block text-sm font-medium">"Their e-mail address"</span>
                    <input class=INPUT type="email" name="email" required/>
                </label>
                <label class="flex items-center gap-1 text-sm">
                    <input type="checkbox" name="admin" value="on"/>"Company admin (may connect the ATS and invite others)"
                </label>
                <button type="submit" class=BUTTON>"Send invitation"</button>
            </ActionForm>
        </Card>
    }
}

#[component]
fn StageMappingCard(s: Settings) -> impl IntoView {
    let set_stage = ServerAction::<SetStageMapping>::new();
    let statuses = StoredValue::new(s.statuses.clone());
    view! {
        <Card title="Stage mapping">
            <p class="mb-2 text-sm text-slate-700">
                "How each stage of your ATS shows on interview requests. A stage mapped to "
                <strong>"hired"</strong> " or " <strong>"rejected"</strong> " closes the request."
            </p>
            {or_empty(s.stages.is_empty(), "No stages yet: connect and sync your ATS first.", || view! {
                <table class="w-full text-left text-sm">
                    <thead><tr><th class="py-1">"ATS stage"</th><th class="py-1">"Marketplace status"</th></tr></thead>
                    <tbody>
                        {s.stages.into_iter().map(|row| {
                            let label = row.stage.clone();
                            view! {
                                <tr class="border-t border-slate-200" data-testid="stage-row">
                                    <td class="py-1">{row.stage.clone()}
                                        {row.is_default.then(|| view! { <span class="ml-1 text-xs text-slate-500">"(default)"</span> })}
                                    </td>
                                    <td class="py-1">
                                        {if s.can_edit_stages {
                                            view! {
                                                <ActionForm action=set_stage attr:class="flex gap-2">
                                                    <input type="hidden" name="stage" value=row.stage.clone()/>
                                                    <select class=INPUT name="status" aria-label=format!("Status for {label}")>
                                                        {statuses.get_value().into_iter().map(|(k, l)| {
                                                            let selected = k == row.status;
                                                            view! { <option value=k selected=selected>{l}</option> }
                                                        }).collect_view()}
                                                    </select>
                                                    <button type="submit" class=BUTTON>"Save"</button>
                                                </ActionForm>
                                            }.into_any()
                                        } else {
                                            view! { <span>{row.status.replace('_', " ")}</span> }.into_any()
                                        }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </Card>
    }
}
