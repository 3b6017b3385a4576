/**
 * The first module of the strict-CSP test page: records every CSP violation from the
 * start, and gives ECharts the `process.env.NODE_ENV` it reads (a bundler replaces it;
 * the test server does not, and the page may not run an inline script to set it).
 */
const page = globalThis as unknown as { process?: unknown; cspViolations: string[] };
page.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  page.cspViolations.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sample}`);
});
page.process ??= { env: { NODE_ENV: 'development' } };
