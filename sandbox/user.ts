// Looks up the sandbox user in /etc/passwd (no shelling out: this runs on every launch).
import { readFile } from "node:fs/promises";
import type { Owner } from "./workdir.ts";

export async function lookupUser(name: string): Promise<Owner | null> {
  const passwd = await readFile("/etc/passwd", "utf8").catch(() => "");
  for (const line of passwd.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid !== undefined && gid !== undefined) {
      return { uid: Number(uid), gid: Number(gid) };
    }
  }
  return null;
}
