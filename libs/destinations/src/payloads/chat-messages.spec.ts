import type { ChatMessageInput } from './chat-message.input';
import { discordMessage } from './discord-message';
import { escapeAndFit } from './fit-text';
import { escapeSlackChar, slackMessage } from './slack-message';
import { submissionFields } from './submission-fields';

const input = (fields: ChatMessageInput['fields'], formName = 'Contact'): ChatMessageInput => ({
  formName,
  submissionId: '0195e6d2-0000-7000-8000-000000000000',
  createdAt: new Date('2026-11-24T10:00:00Z'),
  spam: false,
  fields,
});

describe('escapeAndFit', () => {
  it('never cuts an escape or a surrogate pair in half', () => {
    expect(escapeAndFit('a&b', escapeSlackChar, 4)).toBe('a…');
    expect(escapeAndFit('😀😀😀', (c) => c, 4)).toBe('😀…');
    expect(escapeAndFit('short', (c) => c, 5)).toBe('short');
  });
});

describe('slackMessage', () => {
  it('escapes Slack control characters in submitted text and keeps a text fallback', () => {
    const message = slackMessage(
      input([{ name: 'message', value: '<!channel> <https://evil.example|bank> & co' }], 'A & <B>'),
    );
    expect(message.text).toBe('New submission: A &amp; &lt;B&gt;');
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'New submission: A & <B>' },
    });
    const section = message.blocks[1];
    expect(section?.type === 'section' && section.fields?.[0]?.text).toBe(
      '*message*\n&lt;!channel&gt; &lt;https://evil.example|bank&gt; &amp; co',
    );
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });

  it('splits fields into sections of ten and cuts long values to 2000 characters', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({
      name: `f${i}`,
      value: 'x'.repeat(5000),
    }));
    const message = slackMessage(input(fields));
    const sections = message.blocks.filter((block) => block.type === 'section');
    expect(sections.map((block) => block.fields?.length)).toEqual([10, 10, 3]);
    for (const block of sections) {
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
    expect(message.blocks.at(-1)?.type).toBe('context');
  });
});

describe('discordMessage', () => {
  it('keeps to 25 fields, 1024 characters per value, 256 per title, 6000 in all', () => {
    const fields = Array.from({ length: 40 }, (_, i) => ({
      name: `f${i}`,
      value: 'y'.repeat(3000),
    }));
    const [embed] = discordMessage(input(fields, 'T'.repeat(400))).embeds;
    expect(embed?.title.length).toBe(256);
    expect(embed?.fields.length).toBeLessThanOrEqual(25);
    for (const field of embed?.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
    const total =
      (embed?.title.length ?? 0) +
      (embed?.description?.length ?? 0) +
      (embed?.footer.text.length ?? 0) +
      (embed?.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(embed?.description).toMatch(/more fields not shown/);
  });

  it('mentions nobody and escapes markdown in submitted text', () => {
    const message = discordMessage(input([{ name: 'm', value: '@everyone [bank](https://evil)' }]));
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.embeds[0]?.fields[0]?.value).toBe('\\@everyone \\[bank\\]\\(https\\://evil\\)');
  });

  it('shows an empty value as a placeholder, never an empty string', () => {
    expect(discordMessage(input([{ name: 'm', value: '' }])).embeds[0]?.fields[0]?.value).toBe(
      '*(empty)*',
    );
  });
});

describe('submissionFields', () => {
  it('follows the schema order and leaves honeypots out', () => {
    const schema = {
      fields: [
        { name: 'email', type: 'email' as const, rules: [] },
        { name: 'website', type: 'string' as const, rules: [{ op: 'honeypot' as const }] },
        { name: 'age', type: 'number' as const, rules: [] },
      ],
    };
    expect(
      submissionFields({ age: 42, website: 'x', email: 'a@b.c', extra: null }, schema),
    ).toEqual([
      { name: 'email', value: 'a@b.c' },
      { name: 'age', value: '42' },
      { name: 'extra', value: '' },
    ]);
  });
});
