//! Redeeming e-mailed links: accept an invitation (choose a name and password), ask for a
//! password reset, and set a new password. Every form works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::onboarding::{
        get_password_reset, get_team_invitation, JoinCompany, RequestPasswordReset, ResetPassword,
    },
    components::{refresh_key, ErrorBox, Flash, BUTTON, INPUT},
};

/// Shows a link's error, or the form it leads to.
fn link_error(e: crate::error::AppError) -> AnyView {
    view! {
        <ErrorBox error=e/>
        <p class="mt-2"><a class="text-blue-800 underline" href="/login">"Go to the sign-in page"</a></p>
    }
    .into_any()
}

/// The password field every form here shares.
#[component]
fn NewPassword() -> impl IntoView {
    view! {
        <label class="mb-4 block">
            <span class="mb-1 block text-sm font-medium">"New password (at least 12 characters)"</span>
            <input class=INPUT type="password" name="password" autocomplete="new-password" minlength="12" required/>
        </label>
    }
}

/// `/invite/:token`: join a company.
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let key = refresh_key();
    let token = move || params.read().get("token").unwrap_or_default();
    let offer = Resource::new(move || (token(), key()), |(t, _)| get_team_invitation(t));
    let accept = ServerAction::<JoinCompany>::new();
    view! {
        <Title text="Join · ATS Bridge"/>
        <div class="mx-auto max-w-sm">
            <h1 class="mb-4 text-2xl font-bold">"Join ATS Bridge"</h1>
            <Flash/>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match offer.await {
                        Err(e) => link_error(e),
                        Ok(o) => view! {
                            <p class="mb-4" data-testid="invitation">
                                {format!("You are invited to {} as {} ({}).", o.company,
                                    if o.as_admin { "a company admin" } else { "a hiring manager" }, o.email)}
                            </p>
                            <ActionForm action=accept>
                                <input type="hidden" name="token" value=token()/>
                                <label class="mb-3 block">
                                    <span class="mb-1 block text-sm font-medium">"Your name"</span>
                                    <input class=INPUT type="text" name="name" autocomplete="name" required/>
                                </label>
                                <NewPassword/>
                                <button class=BUTTON type="submit">"Create my account"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// `/forgot`: ask for a password-reset link.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let ask = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text="Reset your password · ATS Bridge"/>
        <div class="mx-auto max-w-sm">
            <h1 class="mb-4 text-2xl font-bold">"Reset your password"</h1>
            <Flash/>
            <ActionForm action=ask>
                <label class="mb-4 block">
                    <span class="mb-1 block text-sm font-medium">"Your e-mail address"</span>
                    <input class=INPUT type="email" name="email" autocomplete="username" required/>
                </label>
                <button class=BUTTON type="submit">"E-mail me a link"</button>
            </ActionForm>
        </div>
    }
}

/// `/reset/:token`: choose a new password.
#[component]
pub fn ResetPage() -> impl IntoView {
    let params = use_params_map();
    let key = refresh_key();
    let token = move || params.read().get("token").unwrap_or_default();
    let reset = Resource::new(move || (token(), key()), |(t, _)| get_password_reset(t));
    let set = ServerAction::<ResetPassword>::new();
    view! {
        <Title text="Choose a new password · ATS Bridge"/>
        <div class="mx-auto max-w-sm">
            <h1 class="mb-4 text-2xl font-bold">"Choose a new password"</h1>
            <Flash/>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match reset.await {
                        Err(e) => link_error(e),
                        Ok(email) => view! {
                            <p class="mb-4">{format!("For {email}.")}</p>
                            <ActionForm action=set>
                                <input type="hidden" name="token" value=token()/>
                                <NewPassword/>
                                <button class=BUTTON type="submit">"Set my password"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
