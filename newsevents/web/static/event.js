/* Scroll the article so that the event's sentence is in view. */
(function () {
  "use strict";
  const box = document.getElementById("article-text");
  const sentence = box && box.querySelector("mark.hl-sentence");
  if (sentence) box.scrollTop = Math.max(0, sentence.offsetTop - box.offsetTop - 40);
})();
