"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Email or password is incorrect.",
  RateLimited: "Too many sign-in attempts. Wait 15 minutes and try again.",
};

export function SignInForm(props: {
  callbackUrl: string;
  initialError: string | null;
  providers: Array<{ id: string; name: string }>;
}) {
  const [error, setError] = useState(
    props.initialError ? (MESSAGES[props.initialError] ?? "Sign-in failed. Try again.") : null,
  );
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const form = new FormData(event.currentTarget);
    const result = await signIn("credentials", {
      redirect: false,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    setPending(false);
    if (result?.ok && !result.error) window.location.assign(props.callbackUrl);
    else setError(MESSAGES[result?.error ?? ""] ?? MESSAGES.CredentialsSignin);
  }

  return (
    <>
      <form onSubmit={onSubmit} className="stack" noValidate>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {props.providers.map((provider) => (
        <p key={provider.id}>
          <button
            type="button"
            className="button secondary"
            onClick={() => signIn(provider.id, { callbackUrl: props.callbackUrl })}
          >
            Continue with {provider.name}
          </button>
        </p>
      ))}
    </>
  );
}
