/**
 * Runs a benchmark's main function: its result is the exit code (0 when it returns nothing); an error
 * is printed and exits with 1. The exit is forced after 2 s, should a socket keep the process alive.
 */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
      setTimeout(() => process.exit(code ?? 0), 2000).unref();
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
