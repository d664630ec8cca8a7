/* Report page: the print button (the page works without it: the browser's own print). */
(function () {
  "use strict";
  const button = document.getElementById("r-print");
  if (button) button.addEventListener("click", () => window.print());
})();
