// Confirmation with the native modal <dialog>: focus moves into it and is trapped, Esc cancels, focus returns after.
// The form's method=dialog sets returnValue from the button pressed; Enter in the text box presses the first one, Confirm.
export function confirmAction({ title, text, confirmLabel = 'Confirm', input = null }) {
  const dialog = document.getElementById('confirm');
  const field = document.getElementById('confirm-field');
  const box = document.getElementById('confirm-input');
  const ok = document.getElementById('confirm-ok');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  ok.textContent = confirmLabel;
  field.hidden = !input;
  box.value = '';
  if (input) {
    document.getElementById('confirm-label').textContent = input.label;
    box.placeholder = input.placeholder || '';
  }
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const onClose = () => {
      dialog.removeEventListener('close', onClose);
      if (opener && typeof opener.focus === 'function' && document.contains(opener)) { opener.focus(); }
      resolve(dialog.returnValue === 'ok' ? { value: box.value.trim() } : null);
    };
    dialog.returnValue = 'cancel';
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    (input ? box : ok).focus();
  });
}
