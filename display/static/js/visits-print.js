/* The home visit list: the print button opens the browser's print dialog. */
(function () {
  "use strict";
  const button = document.getElementById("vp-print");
  if (button) button.addEventListener("click", () => window.print());
})();
