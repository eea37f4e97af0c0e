import { useState } from 'preact/hooks';
import type { FormRefusal } from '../state/projects';
import { useApp } from './context';

/**
 * A one-line form (a name, a label): submit answers null on success or the refusal, which is
 * shown under the input. Used for creating and renaming projects and their results.
 */
export function TextForm({
  testId,
  name,
  label,
  initial = '',
  submitLabel,
  submitTestId,
  onSubmit,
  onCancel,
  keepOpen = false,
}: {
  testId?: string;
  name: string;
  label: string;
  initial?: string;
  submitLabel: string;
  submitTestId?: string;
  onSubmit: (value: string) => Promise<FormRefusal | null>;
  onCancel?: () => void;
  /** Stays for the next entry after a success (adding results one after another). */
  keepOpen?: boolean;
}) {
  const app = useApp();
  const [value, setValue] = useState(initial);
  const [refusal, setRefusal] = useState<FormRefusal | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!value.trim() || busy) return;
    setBusy(true);
    const answer = await onSubmit(value);
    setBusy(false);
    setRefusal(answer);
    if (!answer && keepOpen) setValue('');
  };
  return (
    <form class="text-form" data-testid={testId} onSubmit={submit}>
      <input
        name={name}
        aria-label={label}
        placeholder={label}
        maxLength={100}
        value={value}
        aria-invalid={refusal ? 'true' : undefined}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      />
      <button class="primary" type="submit" data-testid={submitTestId} disabled={busy || !value.trim()}>
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          {app.t('projects.cancel')}
        </button>
      )}
      {refusal && (
        <p class="error small form-error" role="alert">
          {refusal.text}
        </p>
      )}
    </form>
  );
}
