import { RegisterBody, withCreditCodeCheck } from '@zdec/shared';
import { checkForm, errorTree, flattenErrors, problemPath, type Localize } from '../../client/src/components/forms';

/*
 * The pure half of the client's forms (useZodForm): the shared schema's check with the form's own
 * findings, and the round trip of error paths through react-hook-form's error tree, so the schema's,
 * the form's and the server's errors all show next to the field keyed `body.org.creditCode`.
 */
const i18n: Localize = {
  t: (key, params) => (params ? `${key}:${JSON.stringify(params)}` : key),
  tField: ({ message, code }) => `tr(${code ?? message})`,
};

const valid = {
  email: 'a@example.com',
  password: 'long-enough-1',
  displayName: 'A',
  role: 'buyer',
  org: { name: 'Org', creditCode: withCreditCodeCheck('91410100MA9K0AB12') },
};

describe('checkForm', () => {
  it('when fields are missing, then each error is keyed by its body path and localized', () => {
    const result = checkForm(RegisterBody, { ...valid, displayName: '', org: { name: '', creditCode: '' } }, i18n);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['body.displayName']).toBe('validation.required');
    expect(result.errors['body.org.name']).toBe('validation.minChars:{"n":2}');
    expect(Object.keys(result.errors)).toContain('body.org.creditCode');
  });

  it('when the form found something itself, then the body is invalid even though the schema passed', () => {
    const body = { ...valid, org: { ...valid.org, creditCode: 'x' } };
    const schemaOnly = checkForm(RegisterBody, body, i18n);
    const extra = { 'body.amountFen': 'validation.yuan' };
    const result = checkForm(RegisterBody, valid, i18n, extra);
    expect(schemaOnly.ok).toBe(false);
    expect(result).toEqual({ ok: false, errors: extra });
  });

  it('when the schema and the form find the same path, then the form says it', () => {
    const result = checkForm(RegisterBody, { ...valid, displayName: '' }, i18n, { 'body.displayName': 'mine' });
    expect(result).toEqual({ ok: false, errors: { 'body.displayName': 'mine' } });
  });
});

describe('problemPath', () => {
  it('when a service names a body field without its prefix, then it gets one; other paths stay', () => {
    expect(problemPath('reason')).toBe('body.reason');
    expect(problemPath('body.org.name')).toBe('body.org.name');
    expect(problemPath('query.page')).toBe('query.page');
    expect(problemPath('(root)')).toBe('(root)');
  });
});

describe('flattenErrors', () => {
  it('when errors come from the resolver (flat keys) and setError (nested), then both read back by path', () => {
    const tree = {
      ...errorTree({ 'body.email': 'bad', confirm: 'mismatch' }),
      body: {
        org: { creditCode: { type: 'server', message: 'taken' } },
        fields: [{ name: { type: 'x', message: 'n' } }],
      },
    };
    expect(flattenErrors(tree)).toEqual({
      'body.email': 'bad',
      confirm: 'mismatch',
      'body.org.creditCode': 'taken',
      'body.fields.0.name': 'n',
    });
  });
});
