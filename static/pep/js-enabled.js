// Tells GOV.UK Frontend's styles that JavaScript runs (no inline script under the CSP).
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) document.body.classList.add("govuk-frontend-supported");
