/** A form's refusal, announced to assistive technology. */
export function FormProblem({ label, message }: { label: string; message: string | null | undefined }) {
  return message ? (
    <p role="alert" aria-label={label} className="text-sm text-red-700">
      {message}
    </p>
  ) : null;
}

/** The full-width submit button of a small form, with its text while the form is sent. */
export function SubmitButton({ pending, label, pendingLabel }: { pending: boolean; label: string; pendingLabel: string }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="w-full rounded-md bg-indigo-600 px-3 py-2 font-semibold text-white disabled:opacity-50"
    >
      {pending ? pendingLabel : label}
    </button>
  );
}
