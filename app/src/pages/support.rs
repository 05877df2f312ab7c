//! The support console: every tenant's integration health (search, filters, paging) and one
//! tenant's page with its connection, sync runs, webhook deliveries, push queue and audit log.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::{
        onboarding::CreateCompany,
        support::{
            get_support_tenant, get_support_tenants, tenant_page, SupportPush, SupportResync,
            SupportRetryPush, TenantDetail, TenantTable,
        },
    },
    components::{
        loaded, or_empty, refresh_key, Badge, Card, Flash, HealthBadge, Tone, BUTTON, BUTTON_LIGHT,
        INPUT,
    },
    health::Health,
    pages::activity::ActivityTable,
};

/// The console's filters, read from the URL (so a filtered page can be bookmarked and works
/// without JavaScript).
#[derive(Clone, Debug, PartialEq, Default)]
struct Filters {
    q: String,
    health: String,
    ats: String,
    stale: bool,
    failing: bool,
    page: i64,
}

impl Filters {
    fn from_query(q: &leptos_router::params::ParamsMap) -> Filters {
        let text = |k: &str| q.get(k).unwrap_or_default();
        let on = |k: &str| matches!(q.get(k).as_deref(), Some("on" | "true" | "yes"));
        Filters {
            q: text("q"),
            health: text("health"),
            ats: text("ats"),
            stale: on("stale"),
            failing: on("failing"),
            page: text("page").parse().unwrap_or(1),
        }
    }

    /// The console URL of another page with the same filters.
    fn href(&self, page: i64) -> String {
        let mut s = url_query(&[
            ("q", self.q.as_str()),
            ("health", self.health.as_str()),
            ("ats", self.ats.as_str()),
            ("stale", if self.stale { "on" } else { "" }),
            ("failing", if self.failing { "on" } else { "" }),
        ]);
        s.push_str(&format!(
            "{}page={page}",
            if s.is_empty() { "" } else { "&" }
        ));
        format!("/support?{s}")
    }
}

fn url_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            let v: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Every tenant, filtered and paged.
#[component]
pub fn SupportPage() -> impl IntoView {
    let query = use_query_map();
    let live = crate::live::live_key();
    let data = Resource::new(
        move || (Filters::from_query(&query.read()), live()),
        |(f, _)| get_support_tenants(f.q, f.health, f.ats, f.stale, f.failing, f.page),
    );
    view! {
        <Title text="Support console · ATS Bridge"/>
        <h1 class="text-2xl font-bold">"Support console"</h1>
        <Flash/>
        <NewCompany/>
        {loaded(data, move |table| {
            let filters = Filters::from_query(&query.read_untracked());
            view! { <TenantTableView table filters/> }
        })}
    }
}

/// Support creates a company and invites its first hiring manager (a company admin).
#[component]
fn NewCompany() -> impl IntoView {
    let create = ServerAction::<CreateCompany>::new();
    view! {
        <details class="my-3 rounded border border-slate-200 bg-white p-3">
            <summary class="cursor-pointer font-medium">"New company"</summary>
            <ActionForm action=create attr:class="mt-3 flex flex-wrap items-end gap-3">
                <label class="flex-1">
                    <span class="mb-1 block text-sm font-medium">"Company name"</span>
                    <input class=INPUT type="text" name="company" required/>
                </label>
                <label class="flex-1">
                    <span class="mb-1 block text-sm font-medium">"First hiring manager's e-mail (becomes company admin)"</span>
                    <input class=INPUT type="email" name="email" required/>
                </label>
                <button type="submit" class=BUTTON>"Create and invite"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn TenantTableView(table: TenantTable, filters: Filters) -> impl IntoView {
    let f = filters.clone();
    view! {
        <form method="get" action="/support" class="my-4 flex flex-wrap items-end gap-3" role="search">
            <label class="flex-1">"Company"
                <input class=INPUT type="search" name="q" value=f.q.clone() placeholder="Part of the name"/>
            </label>
            <label>"Health "
                <select name="health" class="rounded border border-slate-300 px-2 py-2">
                    <option value="" selected=f.health.is_empty()>"Any"</option>
                    {Health::ALL.into_iter().map(|h| view! {
                        <option value=h.as_str() selected=f.health == h.as_str()>{h.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"ATS "
                <select name="ats" class="rounded border border-slate-300 px-2 py-2">
                    <option value="" selected=f.ats.is_empty()>"Any"</option>
                    {table.integrations.iter().map(|a| view! {
                        <option value=a.clone() selected=&f.ats == a>{a.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="flex items-center gap-1"><input type="checkbox" name="stale" checked=f.stale/>"No successful sync in 24 h"</label>
            <label class="flex items-center gap-1"><input type="checkbox" name="failing" checked=f.failing/>"Writes failing"</label>
            <button type="submit" class=BUTTON>"Filter"</button>
        </form>
        <p class="text-sm text-slate-700" data-testid="tenant-count">
            {format!("{} compan{} · page {} of {}", table.total, if table.total == 1 { "y" } else { "ies" }, table.page, table.pages)}
        </p>
        {(table.rejected_deliveries > 0).then(|| view! {
            <p role="alert" class="my-2 text-amber-900">
                {format!("⚠ {} webhook deliveries with a bad or missing signature were rejected in the last 24 hours.", table.rejected_deliveries)}
            </p>
        })}
        <table class="mt-2 w-full bg-white text-left text-sm">
            <thead><tr>
                <th class="p-2">"Company"</th><th>"Health"</th><th>"ATS"</th><th>"Last successful sync"</th>
                <th>"Pending pushes"</th><th>"Failed pushes"</th><th>"Open problems"</th>
            </tr></thead>
            <tbody>
                {table.rows.into_iter().map(|r| view! {
                    <tr class="border-t border-slate-200" data-testid="tenant-row">
                        <td class="p-2"><a class="text-blue-800 underline" href=tenant_page(&r.id)>{r.name}</a></td>
                        <td data-testid="tenant-health"><HealthBadge health=r.health/></td>
                        <td>{r.integration.unwrap_or_else(|| "—".into())}</td>
                        <td>{r.last_success.unwrap_or_else(|| "never".into())}</td>
                        <td>{r.pending_pushes}</td>
                        <td>{r.failed_pushes}</td>
                        <td>{r.problems}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <nav class="mt-3 flex gap-3" aria-label="Pages">
            {(table.page > 1).then(|| view! { <a class=BUTTON_LIGHT href=filters.href(table.page - 1)>"← Previous"</a> })}
            {(table.page < table.pages).then(|| view! { <a class=BUTTON_LIGHT href=filters.href(table.page + 1)>"Next →"</a> })}
        </nav>
    }
}

/// One tenant, as support sees it.
#[component]
pub fn SupportTenantPage() -> impl IntoView {
    let params = use_params_map();
    let key = refresh_key();
    let live = crate::live::live_key();
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), key(), live()),
        |(id, _, _)| get_support_tenant(id),
    );
    view! {
        <Title text="Tenant · Support console · ATS Bridge"/>
        <p><a class="text-blue-800 underline" href="/support">"← All companies"</a></p>
        <Flash/>
        {loaded(data, |t| view! { <TenantView t/> })}
    }
}

/// The required tick that confirms a support action (checked by the server too).
#[component]
fn ConfirmBox(#[prop(into)] text: String) -> impl IntoView {
    view! {
        <label class="flex items-center gap-1 text-sm">
            <input type="checkbox" name="confirm" value="yes" required/>{text}
        </label>
    }
}

#[component]
fn TenantView(t: TenantDetail) -> impl IntoView {
    let resync = ServerAction::<SupportResync>::new();
    let tenant = t.id.clone();
    let push_tenant = t.id.clone();
    let connected = t.connection.is_some();
    view! {
        <h1 class="mt-2 text-2xl font-bold" data-testid="tenant-name">{t.name.clone()}</h1>
        <p class="mt-1" data-testid="tenant-health">
            <HealthBadge health=t.health/>
            {t.health_since.clone().map(|s| format!(" since {s}"))}
        </p>
        {(!t.reasons.is_empty()).then(|| view! {
            <ul class="mt-2 list-disc pl-6" data-testid="tenant-reasons">
                {t.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
            </ul>
        })}
        <Card title="Connection">
            {match t.connection.clone() {
                None => view! { <p>"No ATS is connected."</p> }.into_any(),
                Some(c) => view! {
                    <dl class="grid grid-cols-[14rem_1fr] gap-y-1 text-sm">
                        <dt class="text-slate-600">"ATS"</dt><dd>{c.integration}</dd>
                        <dt class="text-slate-600">"Merge status"</dt><dd data-testid="merge-status">{c.status}</dd>
                        <dt class="text-slate-600">"Linked account"</dt><dd><code>{c.linked_account_id}</code></dd>
                        <dt class="text-slate-600">"Linked"</dt><dd>{c.linked_at}</dd>
                        <dt class="text-slate-600">"Verification admin"</dt>
                        <dd>{c.admin.unwrap_or_else(|| if c.requires_admin { "not chosen".into() } else { "not needed by this ATS".into() })}</dd>
                        {c.admin_problem.map(|p| view! { <dt class="text-slate-600">"Admin problem"</dt><dd class="text-amber-900">{p}</dd> })}
                    </dl>
                }.into_any(),
            }}
        </Card>
        <Card title="Sync">
            <dl class="grid grid-cols-[14rem_1fr] gap-y-1 text-sm">
                {t.models.iter().map(|(m, at)| view! { <dt class="text-slate-600">{format!("{m}: pulled from")}</dt><dd>{at.clone()}</dd> }).collect_view()}
                <dt class="text-slate-600">"Last full pass"</dt><dd>{t.last_full.clone().unwrap_or_else(|| "never".into())}</dd>
                <dt class="text-slate-600">"Next run"</dt><dd>{t.next_run.clone().unwrap_or_else(|| "not scheduled".into())}</dd>
            </dl>
            <table class="mt-3 w-full text-left text-sm">
                <thead><tr><th class="py-1">"Started"</th><th>"Finished"</th><th>"State"</th><th>"Pages"</th><th>"Users / jobs / stages / applications"</th><th>"Error"</th></tr></thead>
                <tbody>
                    {t.runs.iter().map(|r| view! {
                        <tr class="border-t border-slate-200" data-testid="sync-run">
                            <td class="py-1 pr-2">{r.started.clone()}</td>
                            <td class="pr-2">{r.finished.clone().unwrap_or_else(|| "—".into())}</td>
                            <td class="pr-2">{r.state.clone()}</td>
                            <td class="pr-2">{r.pages}</td>
                            <td class="pr-2">{format!("{} / {} / {} / {}", r.users, r.jobs, r.stages, r.applications)}</td>
                            <td class="break-all">{r.error.clone().unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {connected.then(|| view! {
                <ActionForm action=resync attr:class="mt-3 flex items-center gap-3">
                    <input type="hidden" name="tenant" value=tenant.clone()/>
                    <ConfirmBox text="I confirm a full sync of this company now"/>
                    <button type="submit" class=BUTTON_LIGHT data-testid="resync">"Start a full sync"</button>
                </ActionForm>
            })}
        </Card>
        <Card title="Push queue">
            <p class="mb-2 text-sm text-slate-600">"Candidates are shown by request id only: their personal data is hidden from support."</p>
            {or_empty(t.pushes.is_empty(), "No pushes yet.", || view! {
                <ul class="divide-y divide-slate-200">
                    {t.pushes.iter().cloned().map(|p| view! { <PushRow p tenant=push_tenant.clone()/> }).collect_view()}
                </ul>
            })}
        </Card>
        <Card title="Webhook deliveries">
            {or_empty(t.deliveries.is_empty(), "No deliveries for this company.", || view! {
                <table class="w-full text-left text-sm">
                    <thead><tr><th class="py-1">"Received"</th><th>"Event"</th><th>"Record"</th><th>"Outcome"</th></tr></thead>
                    <tbody>
                        {t.deliveries.iter().map(|d| view! {
                            <tr class="border-t border-slate-200" data-testid="delivery">
                                <td class="py-1 pr-2">{d.at.clone()}</td><td class="pr-2">{d.event.clone()}</td>
                                <td class="pr-2"><code>{d.model_id.clone().unwrap_or_default()}</code></td><td>{d.outcome.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </Card>
        <ActivityTable events=t.audit.clone() title="Audit log"/>
    }
}

#[component]
fn PushRow(p: SupportPush, tenant: String) -> impl IntoView {
    let retry = ServerAction::<SupportRetryPush>::new();
    let tone = match p.state.as_str() {
        "done" => Tone::Good,
        "failed" => Tone::Bad,
        _ => Tone::Warn,
    };
    view! {
        <li class="py-2" data-testid="support-push">
            <code>{p.request_id.clone()}</code> " · " {p.position.clone()} " · " <Badge text=p.state.clone() tone/>
            {format!(" · {} attempt(s) · {}", p.attempts, p.updated)}
            {p.error.clone().map(|e| view! {
                <p class="text-sm text-amber-900" data-testid="support-push-error">
                    {e}
                    {p.status.map(|s| format!(" (HTTP {s})"))}
                    {p.problem.clone().map(|pr| format!(" · {pr}"))}
                </p>
            })}
            {p.correlation_id.clone().map(|c| view! { <p class="text-xs text-slate-600">"Correlation id: " <code>{c}</code></p> })}
            {p.retryable.then(|| view! {
                <ActionForm action=retry attr:class="mt-1 flex items-center gap-3">
                    <input type="hidden" name="tenant" value=tenant.clone()/>
                    <input type="hidden" name="request_id" value=p.request_id.clone()/>
                    <ConfirmBox text="I confirm this push runs again now"/>
                    <button type="submit" class=BUTTON data-testid="support-retry">"Retry push"</button>
                </ActionForm>
            })}
        </li>
    }
}
