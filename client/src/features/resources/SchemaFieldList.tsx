import { useI18n } from '../../i18n/I18nProvider';

/** A resource's schema: each field's name, type and description, as its detail and its public notice list them. */
export function SchemaFieldList({
  fields,
}: {
  fields: readonly { name: string; type: string; description?: string | null }[];
}) {
  const { tEnum } = useI18n();
  return (
    <ul className="schema-list">
      {fields.map((f) => (
        <li key={f.name}>
          <span className="code">{f.name}</span> · {tEnum('fieldType', f.type)}
          {f.description && <span className="muted"> — {f.description}</span>}
        </li>
      ))}
    </ul>
  );
}
