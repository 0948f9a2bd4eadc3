// The URLs LiveDeck sends data to on its own (the coupon webhook, the CRM sync), checked in one place:
// http or https, and no credentials in them. Credentials belong in the secret or token fields, which
// are stored encrypted; a URL is shown on screen, kept in plain tables and may appear in error text.

/** Query parameters that carry credentials by their name. */
const CREDENTIAL_PARAM = /^(access_?token|token|api_?key|app_?secret|client_?secret|secret|password|passwd|pwd|auth|authorization)$/i;

/**
 * Why `raw` cannot be the endpoint of `what` ("a webhook URL"), or undefined when it can. The
 * messages never repeat the URL: it may hold the very credentials they refuse.
 */
export function endpointUrlProblem(raw: string, what: string): string | undefined {
  if (!URL.canParse(raw)) return `${what} is not a URL: an absolute http or https URL is needed`;
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${what} must be http or https, not ${url.protocol}`;
  const param = [...url.searchParams.keys()].find((name) => CREDENTIAL_PARAM.test(name));
  const credential = url.username || url.password ? 'a user name or password' : param && `the "${param}" parameter`;
  if (credential) return `${what} must not carry credentials (${credential}): they go in the secret or token field`;
  return undefined;
}

/** Throws an Error saying what is wrong with `raw` as the endpoint of `what`. */
export function checkEndpointUrl(raw: string, what: string): void {
  const problem = endpointUrlProblem(raw, what);
  if (problem !== undefined) throw new Error(problem);
}
