//! The integration page: connect the ATS through Merge Link, watch the sync, choose the
//! verification admin.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;

use crate::{
    api::integration::{
        complete_link, create_link_token, get_integration, AtsUser, Disconnect, Integration,
        SetVerificationAdmin, SyncNow,
    },
    components::{loaded, refresh_key, Badge, Card, Flash, Tone, BUTTON, BUTTON_LIGHT, INPUT},
    merge_link::{self, LinkEvent},
};

/// The integration page.
#[component]
pub fn IntegrationPage() -> impl IntoView {
    let key = refresh_key();
    let live = crate::live::live_key();
    let tick = RwSignal::new(0u32);
    let data = Resource::new(move || (key(), tick.get(), live()), |_| get_integration());
    view! {
        <Title text="Integration · ATS Bridge"/>
        <h1 class="text-2xl font-bold">"Integration"</h1>
        <Flash/>
        {loaded(data, move |i| view! { <IntegrationView i tick/> })}
    }
}

#[component]
fn IntegrationView(i: Integration, tick: RwSignal<u32>) -> impl IntoView {
    let running = i.sync.as_ref().is_some_and(|s| s.running);
    // Poll while a sync runs so progress moves without a reload (effects run only in the browser).
    Effect::new(move |_| {
        if running {
            set_timeout(
                move || tick.update(|t| *t += 1),
                Duration::from_millis(1000),
            );
        }
    });
    let connected = i.connection.is_some();
    let (sync_card, admin_card) = (i.clone(), i.clone());
    let confirm_disconnect = i
        .connection
        .clone()
        .filter(|_| i.is_admin && asked_to_disconnect())
        .map(|c| c.integration);
    view! {
        <script src=i.link_script_url.clone()></script>
        <Card title="ATS connection">
            {match i.connection.clone() {
                Some(c) => view! {
                    <dl class="grid grid-cols-[12rem_1fr] gap-y-1" data-testid="connection">
                        <dt class="text-slate-600">"ATS"</dt><dd data-testid="integration-name">{c.integration.clone()}</dd>
                        <dt class="text-slate-600">"Status"</dt>
                        <dd>
                            {let tone = if c.status == "COMPLETE" { Tone::Good } else { Tone::Warn };
                             view! { <Badge text=c.status.clone() tone/> }}
                        </dd>
                        <dt class="text-slate-600">"Linked"</dt><dd>{c.linked_at.clone()}</dd>
                    </dl>
                }.into_any(),
                None => view! { <p>"No ATS is connected yet. Connect it to import jobs and send accepted candidates to it."</p> }.into_any(),
            }}
            {if i.is_admin {
                view! {
                    <ConnectButton relink=connected/>
                    {connected.then(|| view! {
                        <p class="mt-3"><a class="text-sm text-red-800 underline" href="/integration?disconnect=confirm">"Disconnect…"</a></p>
                    })}
                }.into_any()
            } else {
                view! { <p class="mt-3 text-sm text-slate-600">"Only a company admin can connect or relink the ATS."</p> }.into_any()
            }}
        </Card>
        {confirm_disconnect.map(|integration| view! { <DisconnectCard integration/> })}
        {connected.then(move || view! { <SyncCard i=sync_card/> })}
        {connected.then(move || view! { <AdminCard i=admin_card/> })}
    }
}

/// True when the page was opened from the "Disconnect…" link.
fn asked_to_disconnect() -> bool {
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("disconnect")
        .is_some_and(|v| v == "confirm")
}

/// The confirmation, naming the ATS and what disconnecting does; works without JavaScript.
#[component]
fn DisconnectCard(integration: String) -> impl IntoView {
    let disconnect = ServerAction::<Disconnect>::new();
    view! {
        <section role="alertdialog" aria-labelledby="disconnect-title" data-testid="disconnect-confirm"
            class="my-4 rounded-lg border border-red-300 bg-red-50 p-5 text-red-950">
            <h2 id="disconnect-title" class="mb-2 text-lg font-semibold">{format!("Disconnect {integration}?")}</h2>
            <ul class="mb-3 list-disc pl-6 text-sm">
                <li>{format!("Merge deletes the linked account; ATS Bridge stops reading from and writing to {integration}.")}</li>
                <li>"The synced users, jobs and stages are removed here; your positions become unlinked."</li>
                <li>"Candidates waiting to be sent to the ATS are cancelled. Requests and their history stay."</li>
                <li>"Nothing is deleted in the ATS itself."</li>
            </ul>
            <ActionForm action=disconnect attr:class="flex items-center gap-4">
                <input type="hidden" name="integration" value=integration.clone()/>
                <button type="submit" class="rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800">
                    {format!("Disconnect {integration}")}
                </button>
                <a class="underline" href="/integration">"Keep it connected"</a>
            </ActionForm>
        </section>
    }
}

/// Opens Merge Link and completes the connection; needs JavaScript (disabled until hydrated).
#[component]
fn ConnectButton(relink: bool) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let status = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let label = if relink { "Relink ATS" } else { "Connect ATS" };
    let on_click = move |_| {
        busy.set(true);
        status.set(Some((false, "Opening Merge Link…".into())));
        spawn_local(async move {
            let token = match create_link_token().await {
                Ok(t) => t,
                Err(e) => {
                    busy.set(false);
                    return status.set(Some((true, e.to_string())));
                }
            };
            let opened = merge_link::open(&token, move |event| match event {
                LinkEvent::Exit => {
                    busy.set(false);
                    status.set(Some((
                        false,
                        "Merge Link was closed. Nothing was changed.".into(),
                    )));
                }
                LinkEvent::Success(public_token) => {
                    status.set(Some((false, "Connecting…".into())));
                    spawn_local(async move {
                        match complete_link(public_token).await {
                            Ok(()) => {
                                let _ = window().location().set_href("/integration?notice=ATS%20connected.%20The%20first%20sync%20has%20started.");
                            }
                            Err(e) => {
                                busy.set(false);
                                status.set(Some((true, e.to_string())));
                            }
                        }
                    });
                }
            });
            if let Err(e) = opened {
                busy.set(false);
                status.set(Some((true, e)));
            }
        });
    };
    view! {
        <div class="mt-4">
            <button type="button" class=BUTTON on:click=on_click disabled=move || !hydrated.get() || busy.get()>{label}</button>
            <noscript><p class="text-sm">"Connecting the ATS needs JavaScript (Merge Link runs in the browser)."</p></noscript>
            {move || status.get().map(|(bad, text)| {
                let class = if bad { "mt-2 text-red-800" } else { "mt-2 text-slate-700" };
                view! { <p role=if bad { "alert" } else { "status" } class=class data-testid="link-status">{text}</p> }
            })}
        </div>
    }
}

#[component]
fn SyncCard(i: Integration) -> impl IntoView {
    let sync_now = ServerAction::<SyncNow>::new();
    let (users, jobs, stages) = i.counts;
    view! {
        <Card title="Sync">
            {match i.sync.clone() {
                None => view! { <p>"Not synced yet."</p> }.into_any(),
                Some(s) => view! {
                    <div data-testid="sync-state">
                        {if s.running {
                            view! {
                                <p><Badge text="syncing" tone=Tone::Warn/> " started " {s.started_at.clone()}</p>
                                <progress class="my-2 w-full" aria-label="Sync progress"></progress>
                                <p class="text-sm">{format!("{} pages read: {} users, {} jobs, {} stages so far", s.pages, s.users, s.jobs, s.stages)}</p>
                            }.into_any()
                        } else if s.failed {
                            view! {
                                <p><Badge text="last sync failed" tone=Tone::Bad/> " " {s.started_at.clone()}</p>
                                <p role="alert" class="mt-1 text-red-800">{s.error.clone().unwrap_or_default()}</p>
                                <p class="text-sm text-slate-600">"Your stored ATS data was left as it was."</p>
                            }.into_any()
                        } else {
                            view! { <p><Badge text="up to date" tone=Tone::Good/></p> }.into_any()
                        }}
                        <p class="mt-1 text-sm text-slate-600">"Last successful sync: " {s.last_success.clone().unwrap_or_else(|| "never".into())}</p>
                        {s.next_run.clone().map(|n| view! {
                            <p class="text-sm text-slate-600" data-testid="next-sync">"Next sync: " {n}</p>
                        })}
                    </div>
                }.into_any(),
            }}
            <p class="mt-2" data-testid="counts">{format!("{users} users · {jobs} jobs · {stages} job stages")}</p>
            <ActionForm action=sync_now>
                <button type="submit" class=format!("{BUTTON_LIGHT} mt-3")>"Sync now"</button>
            </ActionForm>
        </Card>
    }
}

#[component]
fn AdminCard(i: Integration) -> impl IntoView {
    let Some(conn) = i.connection.clone() else {
        return ().into_any();
    };
    if !conn.requires_admin {
        return view! {
            <Card title="Verification admin">
                <p data-testid="admin-not-needed">{format!("{} does not need a verification admin: writes need no acting ATS user.", conn.integration)}</p>
            </Card>
        }
        .into_any();
    }
    let set_admin = ServerAction::<SetVerificationAdmin>::new();
    let search = RwSignal::new(String::new());
    let users = StoredValue::new(i.users.clone());
    let preselected = conn
        .admin
        .as_ref()
        .map(|a| a.id.clone())
        .or_else(|| default_admin(&i.users));
    view! {
        <Card title="Verification admin">
            <p class="mb-2 text-sm text-slate-700">
                {format!("{} attributes every write to an ATS user. Choose who candidates and applications are created as.", conn.integration)}
            </p>
            {match conn.admin.clone() {
                Some(a) if conn.admin_problem.is_some() => view! {
                    <div role="alert" data-testid="admin-invalid" class="my-2 rounded border border-red-300 bg-red-50 p-3 text-red-900">
                        <p>"⚠ " <strong>{a.name.clone()}</strong> " is no longer valid as verification admin — choose another. Writes to the ATS wait until you do."</p>
                        <p class="mt-1 text-sm">{conn.admin_problem.clone()}</p>
                        {i.is_admin.then(|| view! { <RepickButtons users=i.users.clone() current=a.id.clone()/> })}
                    </div>
                }.into_any(),
                Some(a) => view! { <p data-testid="current-admin">"Current: " <strong>{a.name}</strong></p> }.into_any(),
                None => view! {
                    <p role="alert" class="my-2 rounded border border-amber-300 bg-amber-50 p-2 text-amber-900">
                        "⚠ Writes to the ATS are waiting until you choose a verification admin."
                    </p>
                }.into_any(),
            }}
            {if i.is_admin {
                view! {
                    <ActionForm action=set_admin>
                        <label class="mb-2 block">
                            <span class="mb-1 block text-sm font-medium">"Search users"</span>
                            <input class=INPUT type="search" placeholder="Name or e-mail"
                                on:input=move |ev| search.set(event_target_value(&ev))/>
                        </label>
                        <label class="block">
                            <span class="mb-1 block text-sm font-medium">"ATS user"</span>
                            <select class=INPUT name="user_id" required>
                                {move || {
                                    let q = search.get().to_lowercase();
                                    users.get_value().into_iter()
                                        .filter(|u| q.is_empty() || u.name.to_lowercase().contains(&q)
                                            || u.email.as_deref().unwrap_or("").to_lowercase().contains(&q))
                                        .map(|u| {
                                            let selected = preselected.as_deref() == Some(u.id.as_str());
                                            view! { <option value=u.id.clone() selected=selected>{user_label(&u)}</option> }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </label>
                        <button type="submit" class=format!("{BUTTON} mt-3")>"Save verification admin"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="text-sm text-slate-600">"A company admin chooses the verification admin."</p> }.into_any()
            }}
        </Card>
    }
    .into_any()
}

/// One click per eligible user: the admins first, at most four, never the refused one.
#[component]
fn RepickButtons(users: Vec<AtsUser>, current: String) -> impl IntoView {
    let set_admin = ServerAction::<SetVerificationAdmin>::new();
    let mut eligible: Vec<AtsUser> = users
        .into_iter()
        .filter(|u| !u.disabled && u.id != current)
        .collect();
    eligible.sort_by_key(|u| match u.role.as_deref() {
        Some("SUPER_ADMIN") => 0,
        Some("ADMIN") => 1,
        _ => 2,
    });
    eligible.truncate(4);
    view! {
        <div class="mt-2 flex flex-wrap gap-2">
            {eligible.into_iter().map(|u| view! {
                <ActionForm action=set_admin>
                    <input type="hidden" name="user_id" value=u.id.clone()/>
                    <button type="submit" class=BUTTON>{format!("Use {}", u.name)}</button>
                </ActionForm>
            }).collect_view()}
        </div>
    }
}

fn user_label(u: &AtsUser) -> String {
    let role = u
        .role
        .as_deref()
        .map(|r| format!(" — {}", r.replace('_', " ").to_lowercase()))
        .unwrap_or_default();
    match &u.email {
        Some(e) => format!("{} <{e}>{role}", u.name),
        None => format!("{}{role}", u.name),
    }
}

/// The first active super admin, else the first active admin (users come admins first).
fn default_admin(users: &[AtsUser]) -> Option<String> {
    let pick = |role: &str| {
        users
            .iter()
            .find(|u| !u.disabled && u.role.as_deref() == Some(role))
    };
    pick("SUPER_ADMIN")
        .or_else(|| pick("ADMIN"))
        .map(|u| u.id.clone())
}
