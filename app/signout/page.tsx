import type { Metadata } from "next";
import { SignOutButton } from "./sign-out-button.tsx";

export const metadata: Metadata = { title: "Sign out" };

export default function SignOutPage() {
  return (
    <section className="narrow form-page">
      <h1>Sign out</h1>
      <p>Your drafts and progress stay saved on the server.</p>
      <SignOutButton />
    </section>
  );
}
