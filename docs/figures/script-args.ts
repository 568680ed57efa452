// The figure scripts' `key=value` arguments: `named` holds every one as text, `parameters` the rest as numbers
// (scenario parameters, passed through to resolveScenario, which checks them).
export function scriptArguments(own: readonly string[]): {
  named: Record<string, string>;
  parameters: Record<string, number>;
} {
  const named: Record<string, string> = Object.fromEntries(
    process.argv.slice(2).map((a) => {
      const i = a.indexOf('=');
      if (i <= 0) throw new Error(`argument ${a}: expected key=value`);
      return [a.slice(0, i), a.slice(i + 1)];
    }),
  );
  const parameters = Object.fromEntries(
    Object.entries(named)
      .filter(([k]) => !own.includes(k))
      .map(([k, v]) => [k, Number(v)]),
  );
  return { named, parameters };
}
