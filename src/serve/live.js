// Injected by `dossier serve` into every page it serves (never into `dossier build`
// output). Waits for the next build and reloads the page, or only swaps the stylesheets
// when nothing but CSS changed. Keeps trying while the server is restarting.
(() => {
  let version = document.currentScript.dataset.version;
  const swapStyles = (v) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("dossier-v", v);
      link.href = url.href;
    }
  };
  const poll = async () => {
    try {
      const response = await fetch(`/__dossier/events?since=${version}`, { cache: "no-store" });
      const event = await response.json();
      if (String(event.version) !== version) {
        if (event.reload) {
          location.reload();
          return;
        }
        swapStyles(event.version);
        version = String(event.version);
      }
      poll();
    } catch {
      setTimeout(poll, 1000);
    }
  };
  poll();
})();
