/** Accounts the benchmarks create and sign in with. */
export const BENCH_ADMIN = { email: 'admin@bench.local', password: 'bench-admin-password-1' };
export const OPERATOR_PASSWORD = 'operator-pass-1';
export const operatorEmail = (i: number) => `op${i}@bench.local`;
