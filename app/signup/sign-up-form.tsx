"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";

type FieldErrors = Partial<Record<"name" | "email" | "password" | "form", string>>;

export function SignUpForm() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setFailure(null);
    const form = new FormData(event.currentTarget);
    const body = { name: form.get("name"), email: form.get("email"), password: form.get("password") };
    const response = await fetch("/api/signup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status === 201) {
      await signIn("credentials", { email: body.email, password: body.password, callbackUrl: "/course" });
      return;
    }
    setPending(false);
    const data = (await response.json().catch(() => ({}))) as {
      error?: { fieldErrors?: FieldErrors; message?: string };
    };
    setErrors(data.error?.fieldErrors ?? {});
    if (!data.error?.fieldErrors || data.error.fieldErrors.form)
      setFailure(data.error?.fieldErrors?.form ?? data.error?.message ?? "Sign-up failed. Try again.");
  }

  const field = (
    name: Exclude<keyof FieldErrors, "form">,
    label: string,
    type: string,
    autoComplete: string,
  ) => (
    <label>
      {label}
      <input
        name={name}
        type={type}
        autoComplete={autoComplete}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={`${name}-error`}
      />
      {errors[name] ? (
        <span id={`${name}-error`} role="alert" className="error">
          {errors[name]}
        </span>
      ) : null}
    </label>
  );

  return (
    <form onSubmit={onSubmit} className="stack" noValidate>
      {field("name", "Name", "text", "name")}
      {field("email", "Email", "email", "email")}
      {field("password", "Password (at least 10 characters)", "password", "new-password")}
      {failure ? (
        <p role="alert" className="error">
          {failure}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Creating…" : "Create account"}
      </button>
    </form>
  );
}
