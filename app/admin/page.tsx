import type { Metadata } from "next";
import Link from "next/link";
import { adminOverview } from "@/lib/admin/users.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { ROLES } from "@/lib/auth/roles.ts";
import { db } from "@/lib/db/client.ts";
import { changeRoleAction, revokeCertificateAction } from "./actions.ts";

export const metadata: Metadata = { title: "Admin" };

const when = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ");

export default async function AdminPage() {
  const admin = await requireUser("/admin", "admin");
  const { users, certificates, audit } = await adminOverview(db());
  return (
    <section>
      <h1>Administration</h1>
      <h2>Users</h2>
      <table className="data" data-testid="users">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <td>{user.email}</td>
              <td>{user.name ?? "—"}</td>
              <td>
                {user.id === admin.id ? (
                  user.role
                ) : (
                  <form action={changeRoleAction} className="inline">
                    <input type="hidden" name="userId" value={user.id} />
                    <select name="role" defaultValue={user.role} aria-label={`Role of ${user.email}`}>
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>{" "}
                    <button type="submit" className="button small secondary">
                      Save
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Certificates</h2>
      <table className="data" data-testid="certificates">
        <thead>
          <tr>
            <th scope="col">Learner</th>
            <th scope="col">Issued</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {certificates.map((certificate) => (
            <tr key={certificate.id}>
              <td>
                <Link href={`/certificates/${certificate.id}`}>
                  {certificate.user.name ?? certificate.user.email}
                </Link>
              </td>
              <td>{when(certificate.issuedAt)}</td>
              <td>
                {certificate.revokedAt ? (
                  `revoked ${when(certificate.revokedAt)}: ${certificate.revokedReason ?? ""}`
                ) : (
                  <form action={revokeCertificateAction} className="inline">
                    <input type="hidden" name="certificateId" value={certificate.id} />
                    <input
                      name="reason"
                      required
                      minLength={3}
                      placeholder="Reason for revoking"
                      aria-label="Reason for revoking"
                    />{" "}
                    <button type="submit" className="button small secondary">
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Audit log</h2>
      <table className="data" data-testid="audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Target</th>
          </tr>
        </thead>
        <tbody>
          {audit.map((event) => (
            <tr key={event.id}>
              <td>{when(event.createdAt)}</td>
              <td>{users.find((user) => user.id === event.actorId)?.email ?? event.actorId ?? "system"}</td>
              <td>
                {event.action} {event.detail ? <code>{event.detail}</code> : null}
              </td>
              <td>
                {event.targetType} {event.targetId}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
