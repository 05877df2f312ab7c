//! The HTML shell, the top-level `App` component, the navigation and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    path, Lazy, SsrMode,
};

use crate::{
    api::session::{get_me, Logout},
    components::{HealthBadge, HydrationMarker, BUTTON_LIGHT},
    pages::{
        ActivityRoute, CandidateRoute, ForgotRoute, IntegrationRoute, InviteRoute, LoginRoute,
        MailboxRoute, PositionsRoute, RequestRoute, RequestsRoute, ResetRoute, RespondRoute,
        SettingsRoute, SupportRoute, SupportTenantRoute,
    },
};

/// The full HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="bg-slate-50 text-slate-900 min-h-screen">
                <App/>
            </body>
        </html>
    }
}

/// The application: stylesheet, title, navigation and routes. Every route renders fully on
/// the server before it is sent (`SsrMode::Async`), so pages work with JavaScript off.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::live::provide_live();
    view! {
        <Stylesheet id="leptos" href="/pkg/atsb.css"/>
        <Title text="ATS Bridge"/>
        <Router>
            <Nav/>
            <main class="mx-auto max-w-5xl p-6">
                <Routes fallback=|| view! { <p>"Page not found."</p> }>
                    <Route path=path!("/") view=HomeRedirect ssr=SsrMode::Async/>
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/integration") view={Lazy::<IntegrationRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/positions") view={Lazy::<PositionsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/requests") view={Lazy::<RequestsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/requests/:id") view={Lazy::<RequestRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/candidates/:id") view={Lazy::<CandidateRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/respond/:token") view={Lazy::<RespondRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/activity") view={Lazy::<ActivityRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/invite/:token") view={Lazy::<InviteRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/forgot") view={Lazy::<ForgotRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/reset/:token") view={Lazy::<ResetRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/support") view={Lazy::<SupportRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/support/tenants/:id") view={Lazy::<SupportTenantRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/dev/mailbox") view={Lazy::<MailboxRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
            <HydrationMarker/>
        </Router>
    }
}

/// `/`: support staff go to the console, everyone else to the integration page (which sends
/// the signed-out to the sign-in page).
#[component]
fn HomeRedirect() -> impl IntoView {
    let me = Resource::new(|| (), |_| get_me());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let support = matches!(me.await, Ok(Some(ref m)) if m.is_support);
                view! { <Redirect path=crate::api::session::home(support)/> }
            })}
        </Suspense>
    }
}

/// The top bar: product name, sections, who is signed in, sign out; below it, the company's
/// integration health when it needs someone.
#[component]
fn Nav() -> impl IntoView {
    // Refetch on navigation (signing in or out) and on live changes (health).
    let location = leptos_router::hooks::use_location();
    let live = crate::live::live_key();
    let me = Resource::new(move || (location.pathname.get(), live()), |_| get_me());
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="border-b border-slate-200 bg-white">
            <nav class="mx-auto flex max-w-5xl items-center gap-6 p-4" aria-label="Main">
                <a href="/" class="text-xl font-bold text-blue-700">"ATS Bridge"</a>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match me.await {
                            Ok(Some(me)) => view! {
                                {crate::live::connect()}
                                {if me.is_support {
                                    view! { <a href="/support">"Support console"</a> }.into_any()
                                } else {
                                    view! {
                                        <a href="/integration">"Integration"</a>
                                        <a href="/positions">"Positions"</a>
                                        <a href="/requests">"Interview requests"</a>
                                        <a href="/settings">"Settings"</a>
                                        <a href="/activity">"Activity"</a>
                                    }.into_any()
                                }}
                                {me.sandbox.then(|| view! { <a href="/dev/mailbox">"Demo mailbox"</a> })}
                                <span class="ml-auto text-sm text-slate-600">
                                    {me.name} " · " {me.company.unwrap_or_else(|| "Marketplace support".into())}
                                </span>
                                <ActionForm action=logout>
                                    <button type="submit" class=BUTTON_LIGHT>"Sign out"</button>
                                </ActionForm>
                            }.into_any(),
                            _ => view! { <a class="ml-auto" href="/login">"Sign in"</a> }.into_any(),
                        }
                    })}
                </Suspense>
            </nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    me.await.ok().flatten().and_then(|me| me.health).map(|notice| view! {
                        <aside aria-label="Integration health" data-testid="health-banner"
                            class="mx-auto max-w-5xl border-t border-amber-200 bg-amber-50 px-4 py-2 text-amber-950">
                            <p class="font-medium">"Integration: " <HealthBadge health=notice.health/></p>
                            <ul class="list-disc pl-6 text-sm">
                                {notice.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                            </ul>
                        </aside>
                    })
                })}
            </Suspense>
        </header>
    }
}
