//! The sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::session::Login,
    components::{Flash, BUTTON, INPUT},
};

/// E-mail and password; works without JavaScript.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    // Hydrated, the browser's time zone goes along and becomes the default on first sign-in.
    let zone = RwSignal::new(String::new());
    Effect::new(move |_| zone.set(browser_time_zone()));
    view! {
        <Title text="Sign in · ATS Bridge"/>
        <div class="mx-auto max-w-sm">
            <h1 class="mb-4 text-2xl font-bold">"Sign in"</h1>
            <Flash/>
            <ActionForm action=login>
                <label class="mb-3 block">
                    <span class="mb-1 block text-sm font-medium">"E-mail"</span>
                    <input class=INPUT type="email" name="email" autocomplete="username" required/>
                </label>
                <label class="mb-4 block">
                    <span class="mb-1 block text-sm font-medium">"Password"</span>
                    <input class=INPUT type="password" name="password" autocomplete="current-password" required/>
                </label>
                <input type="hidden" name="time_zone" prop:value=move || zone.get()/>
                <button class=BUTTON type="submit">"Sign in"</button>
            </ActionForm>
            <p class="mt-4 text-sm"><a class="text-blue-800 underline" href="/forgot">"Forgot your password?"</a></p>
        </div>
    }
}

/// The browser's IANA time zone (empty outside the browser).
fn browser_time_zone() -> String {
    #[cfg(feature = "hydrate")]
    {
        let options =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                .resolved_options();
        js_sys::Reflect::get(&options, &"timeZone".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}
