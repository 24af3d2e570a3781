import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import {
  ApiKeysService,
  Client,
  createApiKeyInput,
  OwnerId,
  SessionAuth,
  type ApiKeyOutput,
  type ClientContext,
  type CreateApiKeyInput,
} from '@intake/auth';
import { uuidParam, ZodValidationPipe } from '@intake/common';

/** API keys are managed from the dashboard session only: a key cannot mint keys. */
@Controller('account/api-keys')
@SessionAuth()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** A new key is a new way in: it needs a recent sign-in, password or 2FA proof. */
  @Post()
  @SessionAuth({ recentAuth: true })
  create(
    @OwnerId() ownerId: string,
    @Body(new ZodValidationPipe(createApiKeyInput)) input: CreateApiKeyInput,
    @Client() client: ClientContext,
  ): Promise<{ api_key: ApiKeyOutput; secret: string }> {
    return this.apiKeys
      .create(ownerId, input, client)
      .then(({ apiKey, secret }) => ({ api_key: apiKey, secret }));
  }

  @Get()
  async list(@OwnerId() ownerId: string): Promise<{ api_keys: ApiKeyOutput[] }> {
    return { api_keys: await this.apiKeys.list(ownerId) };
  }

  @Delete(':id')
  async revoke(
    @OwnerId() ownerId: string,
    @Param('id', uuidParam('API key'))
    id: string,
    @Client() client: ClientContext,
  ): Promise<{ api_key: ApiKeyOutput }> {
    return { api_key: await this.apiKeys.revoke(ownerId, id, client) };
  }
}
