/* The OpenAPI docs page: Swagger UI from the installed swagger-ui-dist package. */
(function () {
  "use strict";
  const node = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: node.dataset.openapi, domNode: node, deepLinking: true });
})();
