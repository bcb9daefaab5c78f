from accounts.models import User


def user_create(*, email: str, password: str, display_name: str = "") -> User:
    return User.objects.create_user(email=email, password=password, display_name=display_name)
