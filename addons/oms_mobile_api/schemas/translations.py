from pydantic import BaseModel, Field


class Translations(BaseModel):
    lang: str = Field(description="The user's language, e.g. `fr_FR`.", examples=["fr_FR"])
    messages: dict[str, str] = Field(
        description="The app's texts: English text → text in the user's language (only the "
        "translated ones; an English user gets none).",
        examples=[{"Orders": "Commandes"}],
    )
