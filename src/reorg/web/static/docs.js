// The OpenAPI description rendered by Swagger UI (vendored), with the session's CSRF token on changes.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("swagger-ui");
  if (!box || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: box.dataset.spec,
    dom_id: "#swagger-ui",
    requestInterceptor: (request) => {
      request.headers["X-CSRF-Token"] = document.body.dataset.csrf;
      return request;
    },
  });
});
