// Copies data.url to the clipboard. navigator.clipboard needs HTTPS or localhost; elsewhere (a phone on
// the same Wi-Fi over plain HTTP) the old execCommand route still works from a click.
function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  return new Promise((resolve, reject) => {
    const box = document.createElement("textarea");
    box.value = text;
    box.setAttribute("readonly", "");
    box.style.position = "fixed";
    box.style.opacity = "0";
    document.body.appendChild(box);
    box.select();
    const ok = document.execCommand("copy");
    box.remove();
    ok ? resolve() : reject(new Error("copy refused"));
  });
}

export default function ({ data, parentElement }) {
  const button = parentElement.querySelector(".copy-link-button");
  const status = parentElement.querySelector(".copy-link-status");
  button.textContent = data.label;
  button.onclick = () => {
    copyText(data.url).then(
      () => { status.textContent = "Copied. Paste it anywhere to share this routine."; },
      () => { status.textContent = "Your browser did not allow copying; select the link above and copy it."; },
    );
  };
}
