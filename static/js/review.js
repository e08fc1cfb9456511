/* The review page: say at once when what it shows has gone stale.
 *
 * While a moderator reads a proposal, its author may amend it or someone may
 * publish a change to the page.  The server refuses a decision made on a stale
 * version either way (409); this asks every 20 seconds, and when the tab comes
 * back into view, so the moderator learns before deciding, not after.
 */
(function () {
  "use strict";

  var INTERVAL = 20000;

  function init() {
    var banner = document.getElementById("review-stale");
    if (!banner || !window.fetch) {
      return;
    }
    var url = banner.dataset.stateUrl;
    var version = banner.dataset.version;
    var revision = banner.dataset.revision;
    var timer = null;

    function say(text) {
      banner.textContent = "";
      var p = document.createElement("p");
      p.textContent = text + " ";
      var link = document.createElement("a");
      link.href = window.location.pathname;
      link.textContent = "Reload the review";
      p.appendChild(link);
      banner.appendChild(p);
      banner.hidden = false;
      clearInterval(timer);
    }

    function check() {
      if (document.hidden) {
        return;
      }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) {
            return;
          }
          if (state.status !== "pending") {
            say("This proposal is no longer pending (it is now " + state.status + ").");
          } else if (String(state.version) !== version) {
            say("The proposal was amended since you opened this page (now version " +
                state.version + "); approving or rejecting what is shown here will be refused.");
          } else if (String(state.revision === null ? "" : state.revision) !== revision) {
            say("The page changed since you opened this review; approving what is shown here will be refused.");
          }
        })
        .catch(function () { /* offline for a moment: ask again later */ });
    }

    timer = setInterval(check, INTERVAL);
    document.addEventListener("visibilitychange", check);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
