/* Intake form editor: the fields and rules builder. Progressive enhancement of the
   `fields_schema` JSON textarea, which stays the one thing the form posts: every edit here
   rewrites it, and the server checks it with the API's own schema. Without this file (or
   with JSON it cannot read) the textarea is edited directly. The vocabulary (types, rule
   ops, comparators) comes from the textarea's data attributes, rendered from the API's
   schema. Builds DOM with createElement and textContent only: no HTML from data. */
/* global document, window */
'use strict';

(function formBuilder() {
  const source = document.querySelector('textarea[data-fields-builder]');
  if (!source) return;
  const vocabulary = JSON.parse(source.dataset.fieldsBuilder);
  const NO_VALUE = new Set(['required', 'honeypot']);
  const LIST_OPS = new Set(['one_of', 'not_one_of']);
  const NUMBER_OPS = new Set(['min_length', 'max_length', 'min', 'max']);
  const NO_CONDITION_VALUE = new Set(['filled', 'empty']);

  let schema;
  try {
    schema = JSON.parse(source.value);
  } catch {
    return; // Not JSON (a refused post shows it as typed): the textarea it is.
  }
  if (!schema || !Array.isArray(schema.fields)) return;

  const field = source.closest('.field');
  const root = element('div', { class: 'builder' });
  const toggle = element('button', { type: 'button', class: 'button secondary builder-toggle' });
  field.before(root);
  root.after(toggle);
  let asJson = false;
  toggle.addEventListener('click', () => {
    if (asJson) {
      try {
        schema = JSON.parse(source.value);
      } catch {
        source.focus();
        return window.alert('The JSON does not parse: fix it first.');
      }
    }
    asJson = !asJson;
    render();
  });
  render();

  function render() {
    field.hidden = !asJson;
    root.hidden = asJson;
    toggle.textContent = asJson ? 'Back to the builder' : 'Edit as JSON';
    root.replaceChildren();
    if (asJson) return;
    schema.fields.forEach((item, index) => root.append(fieldEditor(item, index)));
    const add = element('button', { type: 'button', class: 'button secondary' }, 'Add a field');
    add.addEventListener('click', () => {
      schema.fields.push({ name: '', type: 'string', rules: [] });
      changed();
      root.querySelector('.builder-field:last-of-type input').focus();
    });
    root.append(add);
  }

  /** The textarea follows every edit; structural edits also redraw the builder. */
  function changed(redraw = true) {
    source.value = JSON.stringify(schema, null, 2);
    if (redraw) render();
  }

  function fieldEditor(item, index) {
    const box = element('fieldset', { class: 'builder-field' });
    box.append(element('legend', {}, `Field ${index + 1}`));
    const id = `builder-${index}`;
    box.append(
      labelled(
        `${id}-name`,
        'Name',
        input(`${id}-name`, item.name, (value) => (item.name = value)),
      ),
      labelled(
        `${id}-type`,
        'Type',
        select(`${id}-type`, vocabulary.types, item.type, (value) => (item.type = value), true),
      ),
    );
    item.rules = Array.isArray(item.rules) ? item.rules : [];
    const rules = element('ol', {
      class: 'builder-rules',
      'aria-label': `Rules of field ${index + 1}`,
    });
    item.rules.forEach((rule, ruleIndex) =>
      rules.append(ruleEditor(item, rule, `${id}-rule-${ruleIndex}`)),
    );
    box.append(rules);
    const actions = element('div', { class: 'actions' });
    actions.append(
      button('Add a rule', () => item.rules.push({ op: 'required' })),
      button('Remove field', () => schema.fields.splice(index, 1), 'danger'),
    );
    box.append(actions);
    return box;
  }

  function ruleEditor(item, rule, id) {
    const row = element('li', { class: 'builder-rule' });
    row.append(
      labelled(
        `${id}-op`,
        'Rule',
        select(`${id}-op`, vocabulary.ops, rule.op, (op) => retype(rule, op), true),
      ),
    );
    if (!NO_VALUE.has(rule.op)) {
      const list = LIST_OPS.has(rule.op);
      const shown = list ? (rule.values || []).join(', ') : (rule.value ?? '');
      row.append(
        labelled(
          `${id}-value`,
          list ? 'Values (comma-separated)' : 'Value',
          input(`${id}-value`, String(shown), (value) => {
            if (list) rule.values = splitList(value).map((part) => typed(part, item.type));
            else rule.value = NUMBER_OPS.has(rule.op) ? numberOrText(value) : value;
          }),
        ),
      );
    }
    row.append(conditionEditor(rule, id));
    row.append(
      button('Remove rule', () => item.rules.splice(item.rules.indexOf(rule), 1), 'danger'),
    );
    return row;
  }

  /** A rule's `when`: applies only when another field compares as chosen. */
  function conditionEditor(rule, id) {
    const group = element('div', { class: 'builder-when' });
    const names = schema.fields.map((other) => other.name).filter(Boolean);
    group.append(
      labelled(
        `${id}-when-field`,
        'Only when field',
        select(
          `${id}-when-field`,
          ['', ...names],
          rule.when ? rule.when.field : '',
          (name) => {
            if (!name) delete rule.when;
            else rule.when = { ...(rule.when || { is: 'filled' }), field: name };
          },
          true,
        ),
      ),
    );
    if (!rule.when) return group;
    group.append(
      labelled(
        `${id}-when-is`,
        'is',
        select(
          `${id}-when-is`,
          vocabulary.comparators,
          rule.when.is,
          (is) => {
            rule.when.is = is;
            if (NO_CONDITION_VALUE.has(is)) delete rule.when.value;
            else rule.when.value = LIST_OPS.has(is) ? [] : '';
          },
          true,
        ),
      ),
    );
    if (!NO_CONDITION_VALUE.has(rule.when.is)) {
      const list = LIST_OPS.has(rule.when.is);
      const shown = list ? (rule.when.value || []).join(', ') : (rule.when.value ?? '');
      const other = schema.fields.find((candidate) => candidate.name === rule.when.field);
      group.append(
        labelled(
          `${id}-when-value`,
          list ? 'Values (comma-separated)' : 'Value',
          input(`${id}-when-value`, String(shown), (value) => {
            const type = other ? other.type : 'string';
            rule.when.value = list
              ? splitList(value).map((part) => typed(part, type))
              : typed(value, type);
          }),
        ),
      );
    }
    return group;
  }

  /** A new op keeps only what fits it (the API refuses a `value` on `required`, say). */
  function retype(rule, op) {
    const when = rule.when;
    for (const key of Object.keys(rule)) delete rule[key];
    rule.op = op;
    if (LIST_OPS.has(op)) rule.values = [];
    else if (!NO_VALUE.has(op)) rule.value = '';
    if (when) rule.when = when;
  }

  function typed(text, type) {
    if (type === 'number') return numberOrText(text);
    if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
    return text;
  }

  function numberOrText(text) {
    const trimmed = text.trim();
    return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
  }

  function splitList(text) {
    return text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  }

  function element(tag, attributes = {}, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function labelled(id, text, control) {
    const wrapper = element('div', { class: 'field' });
    wrapper.append(element('label', { for: id }, text), control);
    return wrapper;
  }

  /** Text edits update the JSON without redrawing, so typing keeps its focus. */
  function input(id, value, update) {
    const node = element('input', { id, type: 'text' });
    node.value = value;
    node.addEventListener('input', () => {
      update(node.value);
      changed(false);
    });
    return node;
  }

  function select(id, options, value, update, redraw) {
    const node = element('select', { id });
    for (const option of options) {
      const item = element('option', { value: option }, option === '' ? '(always)' : option);
      item.selected = option === value;
      node.append(item);
    }
    node.addEventListener('change', () => {
      update(node.value);
      changed(redraw);
      if (redraw) document.getElementById(id).focus();
    });
    return node;
  }

  function button(text, action, variant = 'secondary') {
    const node = element('button', { type: 'button', class: `button ${variant}` }, text);
    node.addEventListener('click', () => {
      action();
      changed();
    });
    return node;
  }
})();
