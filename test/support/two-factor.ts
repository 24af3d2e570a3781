import { generateSync } from 'otplib';
import type { SignedInUser } from './accounts';

/**
 * The TOTP code of `secret` `steps` 30-second steps away from now. Intake accepts one step
 * either side and each step once, so a test signs in repeatedly with steps 0, then 1.
 */
export function totpCode(secret: string, steps = 0): string {
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

export interface TwoFactorUser extends SignedInUser {
  secret: string;
  backupCodes: string[];
}

/**
 * Turns 2FA on through the real enrolment endpoints (setup, then confirm with the code of
 * the current step). The session rotates on confirm: the returned user carries the new CSRF
 * token. The current step is spent; the next sign-in uses `totpCode(secret, 1)`.
 */
export async function enableTwoFactor(user: SignedInUser): Promise<TwoFactorUser> {
  const setup = await user.agent
    .post('/account/2fa/setup')
    .set('X-CSRF-Token', user.csrf)
    .expect(200);
  const secret = (setup.body as { secret: string }).secret;
  const confirm = await user.agent
    .post('/account/2fa/confirm')
    .set('X-CSRF-Token', user.csrf)
    .send({ code: totpCode(secret) })
    .expect(200);
  const body = confirm.body as { backup_codes: string[]; csrf_token: string };
  return { ...user, csrf: body.csrf_token, secret, backupCodes: body.backup_codes };
}
