const RFC = /^([A-ZÑ&]{3,4})(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([A-Z\d]{2}[A\d])$/;

/** Why `value` is not an RFC (13 characters for a person, 12 for an organisation), or null if it is. */
export function rfcProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'RFC must be a string';
  const m = RFC.exec(value);
  if (!m) return `"${value}" is not an RFC: expected 4 letters (3 for an organisation) + date YYMMDD + 3-character homoclave`;
  const [, , yy, mm, dd] = m;
  const date = new Date(Date.UTC(2000 + Number(yy), Number(mm) - 1, Number(dd)));
  if (date.getUTCDate() !== Number(dd)) return `"${value}" contains an impossible date ${yy}${mm}${dd}`;
  return null;
}

export function isRfc(value: unknown): value is string {
  return rfcProblem(value) === null;
}
