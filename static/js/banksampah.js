// Weighing screen: live Rupiah per line and total, Enter adds a line.
// The page works without this file: "Hitung" previews on the server.
(() => {
  // As the server writes it: the page's language's grouping, a no-break space.
  const grouping = new Intl.NumberFormat(document.documentElement.lang || "id", {
    maximumFractionDigits: 0,
  });
  const formatRupiah = (amount) => {
    const sign = amount < 0 ? "-" : "";
    return `${sign}Rp\u00a0${grouping.format(Math.abs(amount))}`;
  };

  // Weight typed as "2,5" or "2.5" → thousandths as an integer, or null.
  const thousandths = (text) => {
    const value = text.trim().replace(",", ".");
    const match = /^(\d{1,7})(?:\.(\d{0,3}))?$/.exec(value);
    if (!match) return null;
    return Number(match[1]) * 1000 + Number((match[2] || "").padEnd(3, "0"));
  };

  // Same rule as the server: round half up once per line.
  const lineAmount = (weight, price) => Math.floor((weight * price + 500) / 1000);

  const setup = (form) => {
    const body = form.querySelector("[data-lines]");
    const total = form.querySelector("[data-total]");
    const totalForms = form.querySelector("input[name$='-TOTAL_FORMS']");
    const maxForms = Number(form.querySelector("input[name$='-MAX_NUM_FORMS']").value);

    const recompute = () => {
      let sum = 0;
      body.querySelectorAll("[data-line]").forEach((row) => {
        const option = row.querySelector("[data-category]").selectedOptions[0];
        const weight = thousandths(row.querySelector("[data-weight]").value);
        const cell = row.querySelector("[data-amount]");
        const price = option && option.dataset.price ? Number(option.dataset.price) : null;
        if (price === null || weight === null || weight === 0) {
          cell.textContent = "";
          return;
        }
        const amount = lineAmount(weight, price);
        sum += amount;
        cell.textContent = formatRupiah(amount);
      });
      total.textContent = formatRupiah(sum);
    };

    const addLine = () => {
      const rows = body.querySelectorAll("[data-line]");
      const count = rows.length;
      if (count >= maxForms) return null;
      const clone = rows[count - 1].cloneNode(true);
      clone.querySelectorAll("select, input").forEach((el) => {
        el.name = el.name.replace(/-\d+-/, `-${count}-`);
        el.id = el.id.replace(/-\d+-/, `-${count}-`);
        el.classList.remove("is-invalid");
        el.removeAttribute("autofocus");
        if (el.tagName === "SELECT") el.selectedIndex = 0; else el.value = "";
      });
      clone.querySelectorAll("label").forEach((label) => {
        label.htmlFor = label.htmlFor.replace(/-\d+-/, `-${count}-`);
      });
      clone.querySelectorAll(".invalid-feedback").forEach((el) => el.remove());
      clone.querySelector("[data-amount]").textContent = "";
      body.appendChild(clone);
      totalForms.value = String(count + 1);
      return clone;
    };

    form.addEventListener("input", recompute);
    form.addEventListener("change", recompute);
    form.addEventListener("keydown", (event) => {
      const target = event.target;
      if (event.key !== "Enter" || !target.matches("[data-weight]")) return;
      event.preventDefault();
      const row = target.closest("[data-line]");
      let next = row.nextElementSibling;
      if (!next) next = addLine();
      if (next) next.querySelector("[data-category]").focus();
    });
    // A second click while the first confirmation travels is ignored; the
    // server is safe anyway (one key, one deposit).
    form.addEventListener("submit", (event) => {
      if (form.dataset.sent === "1") {
        event.preventDefault();
        return;
      }
      if (event.submitter && event.submitter.matches("[data-confirm]")) form.dataset.sent = "1";
    });
    recompute();
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-weighing]").forEach(setup);
  });
})();
