// The leases of the kill -9 tests: the embedded queue's (renewed every third), and pg-boss's shortest
// (heartbeatSeconds >= 10), shared by the test and its child worker process.
export const HANGING_LEASE_MS = 1500;
export const HANGING_LEASE_SECONDS = 10;
