//! One routed page per module, and each page as a lazily loaded route: with
//! `cargo leptos build --split` every page's code is its own wasm chunk, fetched when the page
//! is first shown (the main bundle keeps the shell, the navigation and shared code).

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

pub mod activity;
pub mod candidate;
pub mod integration;
pub mod login;
pub mod mailbox;
pub mod onboarding;
pub mod positions;
pub mod request;
pub mod requests;
pub mod respond;
pub mod settings;
pub mod support;

/// Declares `$route`, a lazily loaded route that shows `$page`.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        #[doc = concat!("The lazily loaded route of `", stringify!($page), "`.")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    LoginRoute => login::LoginPage,
    IntegrationRoute => integration::IntegrationPage,
    PositionsRoute => positions::PositionsPage,
    RequestsRoute => requests::RequestsPage,
    RequestRoute => request::RequestPage,
    CandidateRoute => candidate::CandidatePage,
    RespondRoute => respond::RespondPage,
    SettingsRoute => settings::SettingsPage,
    ActivityRoute => activity::ActivityPage,
    InviteRoute => onboarding::InvitePage,
    ForgotRoute => onboarding::ForgotPage,
    ResetRoute => onboarding::ResetPage,
    SupportRoute => support::SupportPage,
    SupportTenantRoute => support::SupportTenantPage,
    MailboxRoute => mailbox::MailboxPage,
}
