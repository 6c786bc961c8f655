// Small progressive enhancements; every page works without this file.

// The service worker only shows an offline page when the network fails; it
// is registered after the page has loaded so it never competes with it.
window.addEventListener("load", () => {
  const url = document.body.dataset.serviceWorker;
  if (url && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {});
  }
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  document.querySelectorAll("select[data-navigate]").forEach((select) => {
    select.addEventListener("change", () => {
      if (select.value) window.location.href = select.value;
    });
  });
  document.querySelectorAll("select[data-autosubmit], input[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form && el.form.requestSubmit());
  });
  document.querySelectorAll("form[data-cart-add]").forEach(enhanceAddToCart);
});

// Add to cart without leaving the page: the server answers JSON when asked.
// Anything unexpected (not JSON: a CSRF or server error page) falls back to
// the plain form post, which shows the server's own page.
function enhanceAddToCart(form) {
  const feedback = form.parentElement.querySelector("[data-cart-feedback]");
  const button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", async (event) => {
    if (!window.fetch || !feedback) return;
    event.preventDefault();
    button.disabled = true;
    let data;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!(response.headers.get("Content-Type") || "").includes("application/json")) {
        form.submit();
        return;
      }
      data = await response.json();
    } catch (error) {
      showFeedback(feedback, form.dataset.offline, "danger", form);
      return;
    } finally {
      button.disabled = false;
    }
    showFeedback(feedback, data.message, data.ok ? "success" : "danger", form, data.ok);
    updateCartBadge(data.cart_count, data.cart_label);
  });
}

function showFeedback(region, text, level, form, withCartLink = false) {
  const alert = document.createElement("div");
  alert.className = `alert alert-${level} alert-dismissible mb-0`;
  alert.append(text);
  if (withCartLink) {
    const link = document.createElement("a");
    link.href = document.querySelector("a[data-cart-link]")?.href || "/keranjang/";
    link.className = "alert-link ms-1";
    link.textContent = form.dataset.viewCart;
    alert.append(" ", link);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.className = "btn-close";
  close.setAttribute("aria-label", form.dataset.close);
  close.addEventListener("click", () => alert.remove());
  alert.append(close);
  region.replaceChildren(alert);
}

function updateCartBadge(count, label) {
  const badge = document.querySelector("[data-cart-count]");
  const link = document.querySelector("a[data-cart-link]");
  if (badge) {
    badge.textContent = String(count);
    badge.classList.toggle("d-none", !count);
  }
  if (link && label) link.setAttribute("aria-label", label);
}
