import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { toDataURL } from 'qrcode';
import { AuditService, type AuditAction } from '@intake/audit';
import { AppError, SecretBox } from '@intake/common';
import type { User } from '@intake/database';
import type { ClientContext } from '../client-context';
import { SecondFactorGate } from '../login/second-factor-gate';
import { PasswordCheck } from '../passwords/password-check';
import { UsersRepository } from '../users/users.repository';
import {
  findUnusedBackupCode,
  formatBackupCode,
  generateBackupCodes,
  type BackupCode,
} from './backup-codes';
import type { DisableTwoFactorInput } from './two-factor.input';
import { BACKUP_CODES_PURPOSE, TOTP_SECRET_PURPOSE } from './two-factor-purposes';
import { TwoFactorRepository } from './two-factor.repository';

const TOTP_CODE = /^\d{6}$/;
/** One 30-second step either side: clocks drift, but a code must not live for minutes. */
const EPOCH_TOLERANCE_SECONDS = 30;
const ISSUER = 'Intake';

export interface TwoFactorEnrolment {
  secret: string;
  otpauth_uri: string;
  /** PNG data URL of the otpauth URI, drawn locally (the secret never leaves the server). */
  qr_code: string;
}

type CheckedCode = { kind: 'totp' } | { kind: 'backup'; remaining: number };

/**
 * TOTP (RFC 6238, otplib) with backup codes. The seed and the codes are sealed with
 * AES-256-GCM at rest; a TOTP time step is accepted once (the step is claimed atomically in
 * the database); each backup code works once. Failed codes are counted per account and
 * per IP by the SecondFactorGate.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly repository: TwoFactorRepository,
    private readonly users: UsersRepository,
    private readonly box: SecretBox,
    private readonly passwords: PasswordCheck,
    private readonly gate: SecondFactorGate,
    private readonly audit: AuditService,
  ) {}

  isEnabled(user: User): boolean {
    return user.totpEnabledAt !== null;
  }

  /** Starts enrolment; nothing changes for sign-in until `confirm` proves the app works. */
  async setup(ownerId: string): Promise<TwoFactorEnrolment> {
    const user = await this.requireUser(ownerId);
    if (this.isEnabled(user)) {
      throw new AppError('conflict', 'Two-factor authentication is already on; disable it first');
    }
    const secret = generateSecret();
    await this.repository.setPendingSecret(ownerId, this.box.seal(secret, TOTP_SECRET_PURPOSE));
    const uri = generateURI({ issuer: ISSUER, label: user.email, secret });
    return { secret, otpauth_uri: uri, qr_code: await toDataURL(uri) };
  }

  /** Turns 2FA on once a code from the new app checks out; returns the backup codes, once. */
  async confirm(ownerId: string, code: string, client: ClientContext): Promise<string[]> {
    const user = await this.requireUser(ownerId);
    if (this.isEnabled(user)) {
      throw new AppError('conflict', 'Two-factor authentication is already on');
    }
    if (user.totpSecret === null) {
      throw new AppError('conflict', 'Start with POST /account/2fa/setup');
    }
    await this.gate.admit(client.ip, user.id);
    if (!(await this.checkTotp(user, code))) {
      throw AppError.validation({ code: ['is incorrect or expired'] });
    }
    await this.gate.succeeded(client.ip, user.id);
    const codes = generateBackupCodes();
    if (!(await this.repository.enable(ownerId, this.sealCodes(codes), new Date()))) {
      throw new AppError('conflict', 'Two-factor authentication changed meanwhile; start again');
    }
    await this.record(user, 'user.totp.enabled', client);
    return codes.map((entry) => formatBackupCode(entry.code));
  }

  /** Needs the password (when the account has one) and a current code. */
  async disable(ownerId: string, input: DisableTwoFactorInput, client: ClientContext) {
    const user = await this.requireEnabled(ownerId);
    // A password-less account has only its fresh sign-in (the route's re-auth window).
    if (user.passwordHash !== null) {
      if (input.password === undefined) throw AppError.validation({ password: ['is required'] });
      await this.passwords.assert(user, input.password, client, 'password');
    }
    await this.verify(user, input.code, client, () =>
      AppError.validation({ code: ['is incorrect or already used'] }),
    );
    await this.repository.disable(ownerId);
    await this.record(user, 'user.totp.disabled', client);
  }

  /** A new set of ten backup codes; every earlier one stops working. */
  async regenerateBackupCodes(
    ownerId: string,
    code: string,
    client: ClientContext,
  ): Promise<string[]> {
    const user = await this.requireEnabled(ownerId);
    await this.verify(user, code, client, () =>
      AppError.validation({ code: ['is incorrect or already used'] }),
    );
    const fresh = await this.requireEnabled(ownerId);
    const codes = generateBackupCodes();
    if (
      !(await this.repository.replaceBackupCodes(
        ownerId,
        fresh.backupCodes ?? '',
        this.sealCodes(codes),
      ))
    ) {
      throw new AppError('conflict', 'Backup codes changed meanwhile; try again');
    }
    await this.record(user, 'user.backup_codes.regenerated', client);
    return codes.map((entry) => formatBackupCode(entry.code));
  }

  /** The second factor of a sign-in: a TOTP code or a backup code, else 401. */
  async verifyForSignIn(user: User, code: string, client: ClientContext): Promise<void> {
    await this.verify(user, code, client, () =>
      AppError.unauthorized('Invalid or already used code'),
    );
  }

  /** Re-authentication by code (the re-auth window; see SessionAuth `recentAuth`). */
  async verifyForReauthentication(user: User, code: string, client: ClientContext) {
    if (!this.isEnabled(user)) {
      throw AppError.validation({ code: ['two-factor authentication is off for this account'] });
    }
    await this.verify(user, code, client, () =>
      AppError.validation({ code: ['is incorrect or already used'] }),
    );
  }

  private async verify(
    user: User,
    code: string,
    client: ClientContext,
    refusal: () => AppError,
  ): Promise<void> {
    await this.gate.admit(client.ip, user.id);
    const checked = await this.check(user, code);
    if (!checked) {
      await this.record(user, 'user.totp.failed', client);
      throw refusal();
    }
    await this.gate.succeeded(client.ip, user.id);
    if (checked.kind === 'backup') {
      await this.record(user, 'user.backup_code.used', client, { remaining: checked.remaining });
    }
  }

  private async check(user: User, code: string): Promise<CheckedCode | null> {
    if (TOTP_CODE.test(code)) return (await this.checkTotp(user, code)) ? { kind: 'totp' } : null;
    return this.spendBackupCode(user, code);
  }

  private async checkTotp(user: User, code: string): Promise<boolean> {
    const secret =
      user.totpSecret === null ? null : this.box.open(user.totpSecret, TOTP_SECRET_PURPOSE);
    if (secret === null || !TOTP_CODE.test(code)) return false;
    const result = await verify({
      secret,
      token: code,
      epochTolerance: EPOCH_TOLERANCE_SECONDS,
      ...(user.totpLastStep === null ? {} : { afterTimeStep: user.totpLastStep }),
    });
    // `afterTimeStep` is an early exit; claiming the step in the database is the real guard.
    return (
      result.valid &&
      'timeStep' in result &&
      (await this.repository.claimStep(user.id, result.timeStep))
    );
  }

  private async spendBackupCode(user: User, code: string): Promise<CheckedCode | null> {
    const sealed = user.backupCodes;
    const codes = sealed === null ? null : this.openCodes(sealed);
    if (sealed === null || codes === null) return null;
    const index = findUnusedBackupCode(codes, code);
    if (index === -1) return null;
    const spent = codes.map((entry, i) =>
      i === index ? { ...entry, usedAt: new Date().toISOString() } : entry,
    );
    if (!(await this.repository.replaceBackupCodes(user.id, sealed, this.sealCodes(spent)))) {
      return null;
    }
    return { kind: 'backup', remaining: spent.filter((entry) => entry.usedAt === null).length };
  }

  private sealCodes(codes: BackupCode[]): string {
    return this.box.seal(JSON.stringify(codes), BACKUP_CODES_PURPOSE);
  }

  private openCodes(sealed: string): BackupCode[] | null {
    const opened = this.box.open(sealed, BACKUP_CODES_PURPOSE);
    return opened === null ? null : (JSON.parse(opened) as BackupCode[]);
  }

  private async requireUser(ownerId: string): Promise<User> {
    const user = await this.users.findById(ownerId);
    if (!user) throw AppError.unauthorized('Sign in required');
    return user;
  }

  private async requireEnabled(ownerId: string): Promise<User> {
    const user = await this.requireUser(ownerId);
    if (!this.isEnabled(user)) {
      throw new AppError('conflict', 'Two-factor authentication is off for this account');
    }
    return user;
  }

  private record(
    user: User,
    action: AuditAction,
    client: ClientContext,
    metadata?: Record<string, number>,
  ): Promise<void> {
    return this.audit.record({
      actorId: user.id,
      action,
      target: { type: 'user', id: user.id },
      client,
      ...(metadata ? { metadata } : {}),
    });
  }
}
