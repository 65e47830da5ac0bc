import type { Metadata } from "next";
import Link from "next/link";
import { externalProviders } from "@/lib/auth/options.ts";
import { SignInForm } from "./sign-in-form.tsx";

export const metadata: Metadata = { title: "Sign in" };

type Search = { searchParams: Promise<{ callbackUrl?: string; error?: string }> };

/** Only same-site paths are accepted as a return address (no open redirect). */
function safeReturnPath(value: string | undefined): string {
  return value?.startsWith("/") && !value.startsWith("//") ? value : "/course";
}

export default async function SignInPage({ searchParams }: Search) {
  const { callbackUrl, error } = await searchParams;
  return (
    <section className="narrow form-page">
      <h1>Sign in</h1>
      <SignInForm
        callbackUrl={safeReturnPath(callbackUrl)}
        initialError={error ?? null}
        providers={externalProviders()}
      />
      <p>
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </section>
  );
}
