/* Every page: on narrow screens the header's sections, search and account
 * links fold into a "Menu" button.  Without JavaScript they simply show. */
(function () {
  "use strict";

  function init() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".menu-toggle");
    if (!toggle) {
      return;
    }
    header.classList.add("menu-collapsible");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      header.classList.toggle("menu-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        toggle.setAttribute("aria-expanded", "false");
        header.classList.remove("menu-open");
        toggle.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
