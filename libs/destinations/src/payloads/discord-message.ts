import type { ChatMessageInput } from './chat-message.input';
import { escapeAndFit } from './fit-text';

/** Embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
const TITLE_MAX = 256;
const FIELD_NAME_MAX = 256;
const FIELD_VALUE_MAX = 1024;
const MAX_FIELDS = 25;
const DESCRIPTION_MAX = 4096;
/** Across title, description, field names and values, footer and author. */
const EMBED_TOTAL_MAX = 6000;

export interface DiscordEmbed {
  title: string;
  description?: string;
  timestamp: string;
  footer: { text: string };
  fields: { name: string; value: string; inline: boolean }[];
}

export interface DiscordMessage {
  embeds: DiscordEmbed[];
  /** No parsing: submitted text must never ping @everyone, roles or users. */
  allowed_mentions: { parse: never[] };
}

/**
 * Backslash-escapes Discord markdown, so that submitted text cannot render as a masked link
 * (`[bank](https://evil)`), a heading or a mention; Discord shows the escaped characters
 * as typed.
 */
export function escapeDiscordChar(char: string): string {
  return /[\\*_~`|>[\]()#<@:-]/.test(char) ? `\\${char}` : char;
}

/** One embed: title with the form's name, one field per value, cut to Discord's limits. */
export function discordMessage(input: ChatMessageInput): DiscordMessage {
  const title = escapeAndFit(
    `${input.spam ? '[spam] ' : ''}New submission: ${input.formName}`,
    escapeDiscordChar,
    TITLE_MAX,
  );
  const footer = `Submission ${input.submissionId}`;
  let budget = EMBED_TOTAL_MAX - title.length - footer.length;
  const fields: DiscordEmbed['fields'] = [];
  for (const { name, value } of input.fields) {
    if (fields.length === MAX_FIELDS) break;
    const field = {
      name: escapeAndFit(name, escapeDiscordChar, FIELD_NAME_MAX),
      // Discord refuses an empty value.
      value: value === '' ? '*(empty)*' : escapeAndFit(value, escapeDiscordChar, FIELD_VALUE_MAX),
      inline: false,
    };
    // Room is kept for the description that says what was left out.
    if (field.name.length + field.value.length > budget - 100) break;
    budget -= field.name.length + field.value.length;
    fields.push(field);
  }
  const omitted = input.fields.length - fields.length;
  return {
    embeds: [
      {
        title,
        ...(omitted > 0
          ? {
              description: escapeAndFit(
                `${omitted} more field${omitted === 1 ? '' : 's'} not shown`,
                escapeDiscordChar,
                DESCRIPTION_MAX,
              ),
            }
          : {}),
        timestamp: input.createdAt.toISOString(),
        footer: { text: footer },
        fields,
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
