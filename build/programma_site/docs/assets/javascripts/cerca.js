// The search page: Pagefind's component UI, started with the query the header form sent (?q=).
// Result links are root-absolute, and the site may live under a sub-path (GitHub Pages), so the
// base URL is read from where this page is served before the components start.
const base = location.pathname.replace(/cerca\/(index\.html)?$/, "");
document.querySelector("pagefind-config").setAttribute("base-url", base);
await import("../../pagefind/pagefind-component-ui.js");
await customElements.whenDefined("pagefind-input");
const search = window.PagefindComponents.getInstanceManager().getInstance("default");
search.setTranslations({ clear_search: "Cancella" }); // the stock Italian says "clear history"
const query = (new URLSearchParams(location.search).get("q") || "").trim();
if (query) search.triggerSearch(query);
