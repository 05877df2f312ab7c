//! Reusable presentational components (no server calls).

use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_query_map};

use crate::{error::AppError, health::Health};

/// An invisible marker that flips to `data-hydrated="true"` once the page runs in the browser;
/// end-to-end tests wait for it before clicking.
#[component]
pub fn HydrationMarker() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! { <span id="hydrated" class="hidden" data-hydrated=move || hydrated.get().to_string()></span> }
}

/// The flash banner a form leaves in the URL (`?notice=` / `?error=`).
#[component]
pub fn Flash() -> impl IntoView {
    let q = use_query_map();
    view! {
        {move || q.read().get("notice").filter(|n| !n.is_empty()).map(|n| view! {
            <p role="status" class="my-3 rounded border border-green-300 bg-green-50 p-3 text-green-900">"✓ " {n}</p>
        })}
        {move || q.read().get("error").filter(|e| !e.is_empty()).map(|e| view! {
            <p role="alert" class="my-3 rounded border border-red-300 bg-red-50 p-3 text-red-900">"⚠ " {e}</p>
        })}
    }
}

/// A key that changes whenever a form redirected back with a flash, so page data refetches.
pub fn refresh_key() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || q.read().get("n")
}

/// Shows an error from a server function. A 401 sends the visitor to the sign-in page instead
/// (a 302 when the server renders the page, a client-side navigation once hydrated).
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    if error == AppError::Unauthorized {
        return view! { <Redirect path=SIGN_IN/> }.into_any();
    }
    view! {
        <div role="alert" class="my-3 rounded border border-red-300 bg-red-50 p-3 text-red-900">
            <p>{error.to_string()}</p>
        </div>
    }
    .into_any()
}

/// A page's data: "Loading…" until it arrives, then `show` with it, or the error (a 401 sends
/// the visitor to the sign-in page). While it refetches, the previous content stays.
pub fn loaded<T, V>(
    data: Resource<Result<T, AppError>>,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => show(value).into_any(),
                        Err(error) => view! { <ErrorBox error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// `message` when a list is empty, else what `list` renders.
pub fn or_empty<V: IntoView + 'static>(
    empty: bool,
    message: &'static str,
    list: impl FnOnce() -> V,
) -> AnyView {
    if empty {
        view! { <p>{message}</p> }.into_any()
    } else {
        list().into_any()
    }
}

/// Where a signed-out visitor is sent: the sign-in page, saying why.
pub const SIGN_IN: &str = "/login?error=Please+sign+in.";

/// A white panel with a heading.
#[component]
pub fn Card(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <section class="my-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="mb-3 text-lg font-semibold">{title}</h2>
            {children()}
        </section>
    }
}

/// A small status label: text always, colour only as a hint.
#[component]
pub fn Badge(#[prop(into)] text: String, #[prop(optional)] tone: Tone) -> impl IntoView {
    let class = match tone {
        Tone::Neutral => "bg-slate-100 text-slate-800",
        Tone::Good => "bg-green-100 text-green-900",
        Tone::Warn => "bg-amber-100 text-amber-900",
        Tone::Bad => "bg-red-100 text-red-900",
    };
    view! { <span class=format!("inline-block rounded px-2 py-0.5 text-sm {class}")>{text}</span> }
}

/// The health word with its icon; colour is only a hint.
#[component]
pub fn HealthBadge(health: Health) -> impl IntoView {
    let tone = match health {
        Health::Healthy => Tone::Good,
        Health::Syncing => Tone::Neutral,
        Health::NeedsAttention => Tone::Warn,
        Health::RelinkNeeded | Health::Disconnected => Tone::Bad,
    };
    view! { <Badge text=format!("{} {}", health.icon(), health.label()) tone/> }
}

/// The hint a [`Badge`] carries.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Neutral,
    Good,
    Warn,
    Bad,
}

/// Primary button classes.
pub const BUTTON: &str =
    "rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-50";
/// Secondary button classes.
pub const BUTTON_LIGHT: &str =
    "rounded border border-slate-300 bg-white px-3 py-1.5 text-slate-800 hover:bg-slate-100";
/// Text input classes.
pub const INPUT: &str = "w-full rounded border border-slate-300 px-3 py-2";
