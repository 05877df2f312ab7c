//! The HTML shell, the top-level `App` component, the navigation and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    path, SsrMode,
};

use crate::{
    api::session::{get_me, Logout},
    components::{HydrationMarker, BUTTON_LIGHT},
    pages::{
        activity::ActivityPage, candidate::CandidatePage, integration::IntegrationPage,
        login::LoginPage, mailbox::MailboxPage, positions::PositionsPage, request::RequestPage,
        requests::RequestsPage, respond::RespondPage, settings::SettingsPage,
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
                    <Route path=path!("/") view=|| view! { <Redirect path="/integration"/> } ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/integration") view=IntegrationPage ssr=SsrMode::Async/>
                    <Route path=path!("/positions") view=PositionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/requests") view=RequestsPage ssr=SsrMode::Async/>
                    <Route path=path!("/requests/:id") view=RequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/candidates/:id") view=CandidatePage ssr=SsrMode::Async/>
                    <Route path=path!("/respond/:token") view=RespondPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/activity") view=ActivityPage ssr=SsrMode::Async/>
                    <Route path=path!("/dev/mailbox") view=MailboxPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <HydrationMarker/>
        </Router>
    }
}

/// The top bar: product name, sections, who is signed in, sign out.
#[component]
fn Nav() -> impl IntoView {
    // Refetch on navigation, so signing in or out updates the bar without a reload.
    let location = leptos_router::hooks::use_location();
    let me = Resource::new(move || location.pathname.get(), |_| get_me());
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
                                <a href="/integration">"Integration"</a>
                                <a href="/positions">"Positions"</a>
                                <a href="/requests">"Interview requests"</a>
                                <a href="/settings">"Settings"</a>
                                <a href="/activity">"Activity"</a>
                                {me.sandbox.then(|| view! { <a href="/dev/mailbox">"Demo mailbox"</a> })}
                                <span class="ml-auto text-sm text-slate-600">
                                    {me.name} " · " {me.company.unwrap_or_default()}
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
        </header>
    }
}
