import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  Client,
  EmailChange,
  emailAddressInput,
  EmailVerification,
  OwnerId,
  SessionAuth,
  type ClientContext,
  type EmailAddressInput,
} from '@intake/auth';
import { ZodValidationPipe } from '@intake/common';

/** The account's address: verify it, or move the account to another one. */
@Controller('account/email')
export class EmailController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly change: EmailChange,
  ) {}

  /** Sensitive (it decides where sign-in links and resets go): needs a recent proof. */
  @Post()
  @HttpCode(202)
  @SessionAuth({ recentAuth: true })
  async changeAddress(
    @OwnerId() ownerId: string,
    @Body(new ZodValidationPipe(emailAddressInput)) input: EmailAddressInput,
    @Client() client: ClientContext,
  ): Promise<{ message: string }> {
    await this.change.request(ownerId, input.email, client);
    return {
      message:
        'The new address has been written to; the change happens once it is confirmed from there, within an hour.',
    };
  }

  @Post('verification')
  @HttpCode(202)
  @SessionAuth()
  async resendVerification(
    @OwnerId() ownerId: string,
    @Client() client: ClientContext,
  ): Promise<{ message: string }> {
    await this.verification.resend(ownerId, client);
    return { message: 'A verification link is on its way. It works once, for 24 hours.' };
  }
}
