import type { PipeTransform } from '@nestjs/common';
import { AppError } from '@intake/common';
import { socialProviderSchema, type SocialProvider } from '../social/social-provider';

/** `{provider}` of `/account/identities/{provider}`: anything else names nothing (404). */
export class IdentityProviderPipe implements PipeTransform<unknown, SocialProvider> {
  transform(value: unknown): SocialProvider {
    const parsed = socialProviderSchema.safeParse(value);
    if (!parsed.success) throw AppError.notFound('Identity');
    return parsed.data;
  }
}
